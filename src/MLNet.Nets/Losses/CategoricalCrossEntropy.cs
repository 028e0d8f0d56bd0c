namespace MLNet.Nets.Losses;

/// <summary>
/// Categorical cross-entropy with one-hot (or probability) targets [N, C]: per sample −Σ t·log q, where q is
/// softmax(prediction) when <see cref="FromLogits"/> (the fused, numerically stable form) and the prediction itself
/// (clipped to [1e-7, 1 − 1e-7]) otherwise.
/// </summary>
public sealed class CategoricalCrossEntropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">True (default, as PyTorch's <c>CrossEntropyLoss</c>) when the model outputs logits
    /// and the loss applies softmax itself; false when the model already ends with a softmax.</param>
    public CategoricalCrossEntropy(bool fromLogits = true) => FromLogits = fromLogits;

    /// <summary>True when predictions are logits (softmax is fused into the loss).</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public override string Name => FromLogits ? "categorical_crossentropy" : "categorical_crossentropy_probabilities";

    /// <inheritdoc />
    protected override double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        if (FromLogits)
        {
            double lse = CrossEntropyMath.LogSumExp(prediction, out _);
            double loss = 0, targetSum = 0;
            for (int j = 0; j < prediction.Length; j++)
            {
                loss += target[j] * (lse - prediction[j]);
                targetSum += target[j];
            }
            if (!gradient.IsEmpty)
            {
                // d/dx of Σ t (lse − x) = softmax·Σt − t; equals softmax − t for a one-hot target.
                CrossEntropyMath.Softmax(prediction, lse, gradient);
                for (int j = 0; j < gradient.Length; j++) gradient[j] = (float)(gradient[j] * targetSum - target[j]);
            }
            return loss;
        }
        double sum = 0;
        for (int j = 0; j < prediction.Length; j++)
        {
            float q = Math.Clamp(prediction[j], CrossEntropyMath.Epsilon, 1f - CrossEntropyMath.Epsilon);
            sum -= target[j] * Math.Log(q);
            if (!gradient.IsEmpty)
            {
                bool clipped = prediction[j] < CrossEntropyMath.Epsilon || prediction[j] > 1f - CrossEntropyMath.Epsilon;
                gradient[j] = clipped ? 0f : -target[j] / q;
            }
        }
        return sum;
    }
}
