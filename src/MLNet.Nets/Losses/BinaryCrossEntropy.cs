namespace MLNet.Nets.Losses;

/// <summary>
/// Binary cross-entropy, element-wise with targets in [0, 1] shaped like the prediction: per element
/// −(t·log q + (1 − t)·log(1 − q)), the mean over features, then over the batch. With <see cref="FromLogits"/>
/// q = sigmoid(prediction), computed stably as max(x, 0) − x·t + log(1 + e^−|x|) (PyTorch's
/// <c>BCEWithLogitsLoss</c>); otherwise q is the prediction clipped to [1e-7, 1 − 1e-7] (PyTorch's <c>BCELoss</c>).
/// </summary>
public sealed class BinaryCrossEntropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">True (default) when the model outputs logits; false when it ends with a sigmoid.</param>
    public BinaryCrossEntropy(bool fromLogits = true) => FromLogits = fromLogits;

    /// <summary>True when predictions are logits (the sigmoid is fused into the loss).</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public override string Name => FromLogits ? "binary_crossentropy" : "binary_crossentropy_probabilities";

    /// <inheritdoc />
    protected override double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        double sum = 0;
        float scale = 1f / prediction.Length;
        for (int j = 0; j < prediction.Length; j++)
        {
            float x = prediction[j], t = target[j];
            if (FromLogits)
            {
                sum += Math.Max(x, 0f) - (double)x * t + Math.Log(1.0 + Math.Exp(-Math.Abs(x)));
                if (!gradient.IsEmpty)
                {
                    double s = x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));
                    gradient[j] = scale * (float)(s - t);
                }
            }
            else
            {
                float q = Math.Clamp(x, CrossEntropyMath.Epsilon, 1f - CrossEntropyMath.Epsilon);
                sum -= t * Math.Log(q) + (1.0 - t) * Math.Log(1.0 - q);
                if (!gradient.IsEmpty)
                {
                    bool clipped = x < CrossEntropyMath.Epsilon || x > 1f - CrossEntropyMath.Epsilon;
                    gradient[j] = clipped ? 0f : scale * (float)((q - t) / ((double)q * (1.0 - q)));
                }
            }
        }
        return sum / prediction.Length;
    }
}
