namespace MLNet.Nets.Losses;

/// <summary>Mean absolute error: per sample the mean over features of |p − t|, then the mean over the batch.</summary>
/// <remarks>The gradient at p = t is taken as 0, as in PyTorch's <c>L1Loss</c>.</remarks>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc />
    public override string Name => "mae";

    /// <inheritdoc />
    protected override double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        double sum = 0;
        float scale = 1f / prediction.Length;
        for (int j = 0; j < prediction.Length; j++)
        {
            float d = prediction[j] - target[j];
            sum += Math.Abs(d);
            if (!gradient.IsEmpty) gradient[j] = d > 0 ? scale : d < 0 ? -scale : 0f;
        }
        return sum / prediction.Length;
    }
}
