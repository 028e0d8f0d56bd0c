namespace MLNet.Nets.Losses;

/// <summary>
/// Categorical cross-entropy with class-index targets: the target is [N] (class indices stored as floats) for a
/// prediction [N, C]; per sample −log q[label]. With <see cref="FromLogits"/> q = softmax(prediction) (fused and
/// stable, as PyTorch's <c>CrossEntropyLoss</c>); otherwise the prediction is a probability vector, clipped to
/// [1e-7, 1 − 1e-7].
/// </summary>
public sealed class SparseCategoricalCrossEntropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">True (default) when the model outputs logits; false when it ends with a softmax.</param>
    public SparseCategoricalCrossEntropy(bool fromLogits = true) => FromLogits = fromLogits;

    /// <summary>True when predictions are logits (softmax is fused into the loss).</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public override string Name => FromLogits ? "sparse_categorical_crossentropy" : "sparse_categorical_crossentropy_probabilities";

    /// <inheritdoc />
    public override int TargetValuesPerSample(int predictionPerSample) => 1;

    /// <inheritdoc />
    protected override double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int k = CrossEntropyMath.ClassIndex(target[0], prediction.Length, sample, Name);
        if (FromLogits)
        {
            double lse = CrossEntropyMath.LogSumExp(prediction, out _);
            if (!gradient.IsEmpty)
            {
                CrossEntropyMath.Softmax(prediction, lse, gradient);
                gradient[k] -= 1f;
            }
            return lse - prediction[k];
        }
        float p = prediction[k];
        float q = Math.Clamp(p, CrossEntropyMath.Epsilon, 1f - CrossEntropyMath.Epsilon);
        if (!gradient.IsEmpty)
        {
            gradient.Clear();
            bool clipped = p < CrossEntropyMath.Epsilon || p > 1f - CrossEntropyMath.Epsilon;
            gradient[k] = clipped ? 0f : -1f / q;
        }
        return -Math.Log(q);
    }
}
