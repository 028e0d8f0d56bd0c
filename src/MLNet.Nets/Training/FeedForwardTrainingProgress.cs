namespace MLNet.Nets.Training;

/// <summary>One epoch of Levenberg–Marquardt or traingdx, as reported through <see cref="IProgress{T}"/> and kept in the history.</summary>
/// <param name="Epoch">0 for the initial weights, then 1, 2, … after each step.</param>
/// <param name="Performance">Training mean squared error (over all rows and outputs, in the units the trainer sees).</param>
/// <param name="ValidationPerformance">Validation mean squared error, or NaN without a validation set.</param>
/// <param name="Mu">Levenberg–Marquardt's damping μ at the start of the epoch (NaN for traingdx).</param>
/// <param name="LearningRate">traingdx's learning rate at the start of the epoch (NaN for Levenberg–Marquardt).</param>
/// <param name="Gradient">Euclidean norm of the gradient of the training MSE with respect to all weights and biases.</param>
/// <param name="ValidationFailures">Consecutive epochs the validation error has not improved on its best.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct FeedForwardTrainingProgress(
    int Epoch,
    double Performance,
    double ValidationPerformance,
    double Mu,
    double LearningRate,
    double Gradient,
    int ValidationFailures,
    TimeSpan Elapsed);
