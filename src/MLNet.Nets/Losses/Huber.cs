namespace MLNet.Nets.Losses;

/// <summary>
/// Huber loss: per element ½d² when |d| ≤ δ and δ(|d| − ½δ) beyond, with d = p − t; the mean over features, then over
/// the batch. Equals PyTorch's <c>HuberLoss(delta)</c> and Keras's <c>Huber(delta)</c>.
/// </summary>
public sealed class Huber : Loss
{
    /// <summary>Creates a Huber loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear; must be &gt; 0. Default 1.</param>
    public Huber(float delta = 1f)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber delta must be positive.");
        Delta = delta;
    }

    /// <summary>The threshold δ between the quadratic and the linear part.</summary>
    public float Delta { get; }

    /// <inheritdoc />
    public override string Name => "huber";

    /// <inheritdoc />
    protected override double SampleLoss(int sample, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        double sum = 0;
        float scale = 1f / prediction.Length;
        float delta = Delta;
        for (int j = 0; j < prediction.Length; j++)
        {
            float d = prediction[j] - target[j];
            float a = Math.Abs(d);
            if (a <= delta)
            {
                sum += 0.5 * d * d;
                if (!gradient.IsEmpty) gradient[j] = scale * d;
            }
            else
            {
                sum += delta * (a - 0.5 * delta);
                if (!gradient.IsEmpty) gradient[j] = scale * (d > 0 ? delta : -delta);
            }
        }
        return sum / prediction.Length;
    }
}
