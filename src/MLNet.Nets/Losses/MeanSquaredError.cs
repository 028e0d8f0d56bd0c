namespace MLNet.Nets.Losses;

/// <summary>Mean squared error: per sample the mean over features of (p − t)², then the mean over the batch.</summary>
/// <remarks>Equals PyTorch's <c>MSELoss()</c> (reduction "mean") and Keras's <c>MeanSquaredError</c>.</remarks>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc />
    public override string Name => "mse";

    /// <inheritdoc />
    protected override double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        double sum = 0;
        float scale = 2f / prediction.Length;
        for (int j = 0; j < prediction.Length; j++)
        {
            float d = prediction[j] - target[j];
            sum += (double)d * d;
            if (!gradient.IsEmpty) gradient[j] = scale * d;
        }
        return sum / prediction.Length;
    }
}
