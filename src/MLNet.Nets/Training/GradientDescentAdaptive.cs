using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace MLNet.Nets.Training;

/// <summary>
/// Batch gradient descent with momentum and an adaptive learning rate (MATLAB <c>traingdx</c>).
/// </summary>
/// <remarks>
/// <para>Each epoch computes the gradient g of the training MSE over all rows (batch mode) and proposes
/// dX = mc·dX + (1 − mc)·lr·(−g). A proposal that raises the error by more than <c>MaxPerformanceIncrease</c> is
/// discarded, the learning rate is multiplied by <c>LearningRateDecrease</c> and the momentum is reset to lr·(−g);
/// otherwise the step is kept, and when it lowered the error the learning rate is multiplied by
/// <c>LearningRateIncrease</c>. With validation rows, training stops after <c>MaxFail</c> epochs without a new best
/// validation error and the best validation weights are restored.</para>
/// </remarks>
public sealed class GradientDescentAdaptive : FeedForwardTrainer
{
    /// <summary>Creates the trainer with the given parameters (MATLAB's defaults when null).</summary>
    public GradientDescentAdaptive(GradientDescentAdaptiveOptions? options = null)
    {
        Options = options ?? new GradientDescentAdaptiveOptions();
    }

    /// <summary>The training parameters (read when training starts).</summary>
    public GradientDescentAdaptiveOptions Options { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override FeedForwardTrainingResult TrainCore(DenseStack stack, double[] weights, RowSet train, RowSet? validation,
        IProgress<FeedForwardTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = Options;
        o.Validate();
        var clock = Stopwatch.StartNew();
        int p = stack.ParameterCount;
        int q = train.Rows * stack.OutputCount;
        double scale = 2.0 / q;

        var w = (double[])weights.Clone();
        var trial = new double[p];
        var best = (double[])weights.Clone();
        var descent = new double[p];    // −∇MSE
        var change = new double[p];     // dX
        var errors = new double[q];
        var trialErrors = new double[q];
        var state = new DenseStack.State(stack, train.Rows);
        var trialState = new DenseStack.State(stack, train.Rows);
        var validationState = validation is null ? null : new DenseStack.State(stack, validation.Rows);
        var history = new List<FeedForwardTrainingProgress>(Math.Min(o.Epochs + 1, 4096));

        stack.Forward(w, train.X, state);
        double sse = stack.Errors(state, train.Y, errors);
        if (!double.IsFinite(sse))
        {
            throw new TrainingDivergedException(0, $"The initial weights give a non-finite training error ({sse}); check the data scale and the initial weights.");
        }
        stack.Gradient(w, train.X, state, errors, scale, descent);
        double gradient = Norm(descent);
        double lr = o.LearningRate;
        for (int i = 0; i < p; i++) change[i] = lr * descent[i];

        double vperf = double.NaN, bestVperf = double.PositiveInfinity;
        if (validation is not null)
        {
            vperf = ValidationPerformance(stack, w, validation, validationState!);
            bestVperf = vperf;
        }
        int validationFailures = 0, bestEpoch = 0, epoch = 0;
        FeedForwardStopReason stop;
        bool limitOnly;
        try
        {
            for (; ; epoch++)
            {
                if (!double.IsFinite(gradient))
                {
                    throw new TrainingDivergedException(epoch, $"traingdx: the gradient became non-finite at epoch {epoch}; the last good weights are kept.");
                }
                var record = new FeedForwardTrainingProgress(epoch, sse / q, vperf, double.NaN, lr, gradient, validationFailures, clock.Elapsed);
                history.Add(record);
                progress?.Report(record);
                var reason = CheckStop(epoch, o.Epochs, sse / q, o.Goal, gradient, o.MinGrad, false, clock.Elapsed, o.TimeLimit,
                    validationFailures, o.MaxFail);
                if (reason is { } r)
                {
                    stop = r;
                    limitOnly = OnlyTheLimit(r, epoch, sse / q, o.Goal, gradient, o.MinGrad, false, clock.Elapsed, o.TimeLimit, validationFailures, o.MaxFail);
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();

                double mc = o.Momentum;
                for (int i = 0; i < p; i++)
                {
                    change[i] = mc * change[i] + (1 - mc) * lr * descent[i];
                    trial[i] = w[i] + change[i];
                }
                stack.Forward(trial, train.X, trialState);
                double trialSse = stack.Errors(trialState, train.Y, trialErrors);
                if (!(trialSse <= sse * o.MaxPerformanceIncrease))
                {
                    lr *= o.LearningRateDecrease;
                    for (int i = 0; i < p; i++) change[i] = lr * descent[i];
                }
                else
                {
                    if (trialSse < sse) lr *= o.LearningRateIncrease;
                    (w, trial) = (trial, w);
                    (state, trialState) = (trialState, state);
                    (errors, trialErrors) = (trialErrors, errors);
                    sse = trialSse;
                    stack.Gradient(w, train.X, state, errors, scale, descent);
                    gradient = Norm(descent);
                }

                if (validation is not null)
                {
                    vperf = ValidationPerformance(stack, w, validation, validationState!);
                    if (vperf < bestVperf)
                    {
                        bestVperf = vperf;
                        Array.Copy(w, best, p);
                        bestEpoch = epoch + 1;
                        validationFailures = 0;
                    }
                    else if (!(vperf <= bestVperf))
                    {
                        validationFailures++;
                    }
                }
            }
        }
        finally
        {
            Array.Copy(w, weights, p);
        }

        if (validation is not null && bestEpoch != epoch)
        {
            Array.Copy(best, weights, p);
            stack.Forward(weights, train.X, state);
            sse = stack.SumSquaredError(state, train.Y);
            vperf = bestVperf;
        }
        else if (validation is null)
        {
            bestEpoch = epoch;
        }
        return new FeedForwardTrainingResult
        {
            StopReason = stop,
            StoppedByEpochLimitOnly = limitOnly,
            Epochs = epoch,
            BestEpoch = bestEpoch,
            Performance = sse / q,
            ValidationPerformance = vperf,
            History = history,
            Elapsed = clock.Elapsed,
        };
    }

    private static double Norm(ReadOnlySpan<double> v) => Math.Sqrt(SmallDenseAlgebra.Dot(v, v));

    private static double ValidationPerformance(DenseStack stack, double[] w, RowSet validation, DenseStack.State state)
    {
        stack.Forward(w, validation.X, state);
        return stack.SumSquaredError(state, validation.Y) / (validation.Rows * stack.OutputCount);
    }
}
