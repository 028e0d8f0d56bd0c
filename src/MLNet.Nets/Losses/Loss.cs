using MLNet.Nets.Tensors;

namespace MLNet.Nets.Losses;

/// <summary>
/// A training objective: the mean over the batch of a per-sample loss, and its gradient with respect to the prediction.
/// </summary>
/// <remarks>
/// The batch is axis 0 of the prediction. Each sample's loss may be weighted (class weights); the value returned is
/// Σₙ wₙ·lₙ / N (Keras's "sum over batch size"), and the gradient written is wₙ·∂lₙ/∂pₙ / N.
/// </remarks>
public abstract class Loss
{
    /// <summary>The name used in model files and by <see cref="FromName(string)"/>, e.g. <c>mse</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Number of target values per sample given <paramref name="predictionPerSample"/> prediction values per sample.
    /// Most losses take a target shaped like the prediction; sparse cross-entropy takes one class index.
    /// </summary>
    public virtual int TargetValuesPerSample(int predictionPerSample) => predictionPerSample;

    /// <summary>
    /// Returns the loss of a batch and, when <paramref name="gradient"/> is given, writes dLoss/dPrediction into it.
    /// </summary>
    /// <param name="prediction">The model output, [N, ...].</param>
    /// <param name="target">The target: the prediction's shape, or [N] class indices for sparse cross-entropy.</param>
    /// <param name="gradient">Receives dLoss/dPrediction (shape of <paramref name="prediction"/>); null to skip.</param>
    /// <param name="sampleWeights">Optional weight per sample (length N); empty means all 1.</param>
    /// <exception cref="ArgumentException">Shapes do not agree (the message names both shapes).</exception>
    public float Compute(Tensor prediction, Tensor target, Tensor? gradient = null, ReadOnlySpan<float> sampleWeights = default)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Rank == 0) throw new ArgumentException($"Loss '{Name}': the prediction must have a batch axis.");
        int n = prediction.Dim(0);
        int per = n == 0 ? 0 : prediction.Length / n;
        int targetPer = TargetValuesPerSample(per);
        if (target.Rank == 0 || target.Dim(0) != n || target.Length != (long)n * targetPer)
        {
            throw new ArgumentException(
                $"Loss '{Name}': target {target.ShapeString} does not match prediction {prediction.ShapeString} " +
                $"(expected {n} samples of {targetPer} value(s)).");
        }
        if (gradient is not null && !gradient.HasShape(prediction.Shape))
        {
            throw new ArgumentException($"Loss '{Name}': gradient {gradient.ShapeString} must have the prediction's shape {prediction.ShapeString}.");
        }
        if (!sampleWeights.IsEmpty && sampleWeights.Length != n)
        {
            throw new ArgumentException($"Loss '{Name}': {sampleWeights.Length} sample weights for {n} samples.");
        }
        if (n == 0) return 0f;

        var p = prediction.Span;
        var t = target.Span;
        var g = gradient is null ? Span<float>.Empty : gradient.Span;
        double total = 0;
        double invN = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            var gi = g.IsEmpty ? Span<float>.Empty : g.Slice(i * per, per);
            double li = SampleLoss(i, p.Slice(i * per, per), t.Slice(i * targetPer, targetPer), gi);
            double w = sampleWeights.IsEmpty ? 1.0 : sampleWeights[i];
            total += w * li;
            if (!gi.IsEmpty)
            {
                float scale = (float)(w * invN);
                for (int j = 0; j < gi.Length; j++) gi[j] *= scale;
            }
        }
        return (float)(total * invN);
    }

    /// <summary>
    /// The loss of one sample; writes the unscaled gradient ∂l/∂p into <paramref name="gradient"/> unless it is empty.
    /// </summary>
    /// <param name="sample">The sample's index in the batch (for error messages).</param>
    /// <param name="prediction">The sample's prediction values.</param>
    /// <param name="target">The sample's target values.</param>
    /// <param name="gradient">Receives ∂l/∂p, or empty.</param>
    protected abstract double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient);

    /// <summary>
    /// Creates a loss from its name: <c>mse</c>, <c>mae</c>, <c>huber</c>, <c>categorical_crossentropy</c>,
    /// <c>sparse_categorical_crossentropy</c>, <c>binary_crossentropy</c> (the cross-entropies from logits), or the
    /// same followed by <c>_probabilities</c> for a model whose output is already softmax/sigmoid.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Loss FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "mse" or "mean_squared_error" => new MeanSquaredError(),
            "mae" or "mean_absolute_error" => new MeanAbsoluteError(),
            "huber" => new Huber(),
            "categorical_crossentropy" => new CategoricalCrossEntropy(fromLogits: true),
            "categorical_crossentropy_probabilities" => new CategoricalCrossEntropy(fromLogits: false),
            "sparse_categorical_crossentropy" => new SparseCategoricalCrossEntropy(fromLogits: true),
            "sparse_categorical_crossentropy_probabilities" => new SparseCategoricalCrossEntropy(fromLogits: false),
            "binary_crossentropy" => new BinaryCrossEntropy(fromLogits: true),
            "binary_crossentropy_probabilities" => new BinaryCrossEntropy(fromLogits: false),
            _ => throw new ArgumentException(
                $"Unknown loss '{name}'. Known: mse, mae, huber, categorical_crossentropy, sparse_categorical_crossentropy, " +
                "binary_crossentropy (each cross-entropy also with the suffix _probabilities).", nameof(name)),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
