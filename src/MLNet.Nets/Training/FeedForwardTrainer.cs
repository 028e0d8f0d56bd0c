using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>
/// A full-batch trainer for a chain of <see cref="Dense"/> layers with element-wise activations, the MATLAB way:
/// <see cref="LevenbergMarquardt"/> (<c>trainlm</c>) or <see cref="GradientDescentAdaptive"/> (<c>traingdx</c>).
/// The performance is the mean squared error; the arithmetic is double precision; the trained weights are written back
/// to the layers' <c>weight</c> and <c>bias</c> parameters.
/// </summary>
public abstract class FeedForwardTrainer
{
    private protected FeedForwardTrainer() { }

    /// <summary>
    /// Trains <paramref name="layers"/> (applied in order; layer i's units feed layer i + 1) on the rows of
    /// <paramref name="x"/> [N, inputs] and <paramref name="y"/> [N, outputs], stopping early on the validation rows if given.
    /// </summary>
    /// <param name="layers">Built Dense layers with a bias and element-wise activations.</param>
    /// <param name="x">Training inputs [N, inputs].</param>
    /// <param name="y">Training targets [N, outputs].</param>
    /// <param name="validationX">Validation inputs [V, inputs], or null for no early stopping.</param>
    /// <param name="validationY">Validation targets [V, outputs]; given exactly when <paramref name="validationX"/> is.</param>
    /// <param name="progress">Receives one record per epoch (epoch 0 is the initial weights).</param>
    /// <param name="cancellationToken">Cancels between epochs with <see cref="OperationCanceledException"/>; the layers keep the last accepted weights.</param>
    /// <returns>The stop reason, final errors and the per-epoch history. With validation rows, the layers hold the
    /// weights of the best validation epoch (as MATLAB returns them).</returns>
    /// <exception cref="ArgumentException">Shapes do not chain or data hold NaN/∞ (the message names tensor, row and column).</exception>
    /// <exception cref="TrainingDivergedException">The error, Jacobian or gradient became non-finite; the layers keep the last good weights.</exception>
    public FeedForwardTrainingResult Train(IReadOnlyList<Dense> layers, Tensor x, Tensor y, Tensor? validationX = null, Tensor? validationY = null,
        IProgress<FeedForwardTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stack = StackOf(layers);
        var train = RowSet.From(stack, x, y, "training");
        if ((validationX is null) != (validationY is null))
        {
            throw new ArgumentException("Give both validationX and validationY, or neither.");
        }
        var validation = validationX is null ? null : RowSet.From(stack, validationX, validationY!, "validation");
        return TrainRows(layers, stack, train, validation, progress, cancellationToken);
    }

    /// <summary>Trains on prepared rows; the layers get the kept weights back also when this throws.</summary>
    internal FeedForwardTrainingResult TrainRows(IReadOnlyList<Dense> layers, DenseStack stack, RowSet train, RowSet? validation,
        IProgress<FeedForwardTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (train.Rows == 0) throw new ArgumentException("There are no training rows.");
        if (validation is { Rows: 0 }) validation = null;
        var weights = new double[stack.ParameterCount];
        ReadWeights(layers, weights);
        try
        {
            return TrainCore(stack, weights, train, validation, progress, cancellationToken);
        }
        finally
        {
            WriteWeights(weights, layers);
        }
    }

    /// <summary>
    /// Runs the algorithm from <paramref name="weights"/> and leaves in it the weights to keep (also when throwing).
    /// </summary>
    private protected abstract FeedForwardTrainingResult TrainCore(DenseStack stack, double[] weights, RowSet train, RowSet? validation,
        IProgress<FeedForwardTrainingProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Checks the stop conditions in MATLAB's order; null means go on.</summary>
    private protected static FeedForwardStopReason? CheckStop(int epoch, int epochs, double perf, double goal, double gradient, double minGrad,
        bool muExceeded, TimeSpan elapsed, TimeSpan timeLimit, int validationFailures, int maxFail)
    {
        if (perf <= goal) return FeedForwardStopReason.PerformanceGoal;
        if (epoch >= epochs) return FeedForwardStopReason.MaximumEpochs;
        if (gradient <= minGrad) return FeedForwardStopReason.MinimumGradient;
        if (muExceeded) return FeedForwardStopReason.MaximumMu;
        if (timeLimit != Timeout.InfiniteTimeSpan && elapsed > timeLimit) return FeedForwardStopReason.TimeLimit;
        if (validationFailures >= maxFail) return FeedForwardStopReason.ValidationStop;
        return null;
    }

    /// <summary>
    /// Whether a stop for <paramref name="reason"/> was the epoch limit's alone: no other condition held at that epoch, so
    /// a larger limit would have trained on.
    /// </summary>
    private protected static bool OnlyTheLimit(FeedForwardStopReason reason, int epoch, double perf, double goal, double gradient, double minGrad,
        bool muExceeded, TimeSpan elapsed, TimeSpan timeLimit, int validationFailures, int maxFail) =>
        reason == FeedForwardStopReason.MaximumEpochs
        && CheckStop(epoch, int.MaxValue, perf, goal, gradient, minGrad, muExceeded, elapsed, timeLimit, validationFailures, maxFail) is null;

    /// <summary>The double-precision view of a chain of Dense layers, after checking that they chain and are supported.</summary>
    internal static DenseStack StackOf(IReadOnlyList<Dense> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("There are no layers to train.", nameof(layers));
        var sizes = new int[layers.Count + 1];
        var activations = new Activation[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l] ?? throw new ArgumentException($"Layer {l} is null.", nameof(layers));
            if (!layer.IsBuilt) throw new ArgumentException($"Layer {l} '{layer.Name}' is not built; build it (or use FeedForwardNetwork.Create).", nameof(layers));
            if (layer.InputShape.Length != 1)
            {
                throw new ArgumentException($"Layer {l} '{layer.Name}' takes input {Tensor.FormatShape(layer.InputShape)}; a feed-forward chain needs vectors.", nameof(layers));
            }
            if (layer.Bias is null) throw new ArgumentException($"Layer {l} '{layer.Name}' has no bias; these trainers need one.", nameof(layers));
            int inCount = layer.InputShape[0];
            if (l > 0 && inCount != sizes[l])
            {
                throw new ArgumentException($"Layer {l} '{layer.Name}' takes {inCount} inputs but layer {l - 1} gives {sizes[l]}.", nameof(layers));
            }
            sizes[l] = inCount;
            sizes[l + 1] = layer.Units;
            activations[l] = layer.Activation;
        }
        return new DenseStack(sizes, activations);
    }

    internal static void ReadWeights(IReadOnlyList<Dense> layers, double[] weights)
    {
        int offset = 0;
        foreach (var layer in layers)
        {
            foreach (float v in layer.Weight.Value.Span) weights[offset++] = v;
            foreach (float v in layer.Bias!.Value.Span) weights[offset++] = v;
        }
    }

    internal static void WriteWeights(double[] weights, IReadOnlyList<Dense> layers)
    {
        int offset = 0;
        foreach (var layer in layers)
        {
            var w = layer.Weight.Value.Span;
            for (int i = 0; i < w.Length; i++) w[i] = (float)weights[offset++];
            var b = layer.Bias!.Value.Span;
            for (int i = 0; i < b.Length; i++) b[i] = (float)weights[offset++];
        }
    }
}
