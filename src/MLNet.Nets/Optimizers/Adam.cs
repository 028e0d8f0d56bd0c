namespace MLNet.Nets.Optimizers;

/// <summary>
/// Adam, PyTorch's <c>torch.optim.Adam</c>: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// w ← w − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε). Optional coupled weight decay adds wd·w to g.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size; default 1e-3.</param>
    /// <param name="beta1">Decay of the first moment; default 0.9.</param>
    /// <param name="beta2">Decay of the second moment; default 0.999.</param>
    /// <param name="epsilon">Added to the denominator; default 1e-8.</param>
    /// <param name="weightDecay">Coupled L2 decay (added to the gradient); default 0. For decoupled decay use <see cref="AdamW"/>.</param>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(learningRate)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the first moment estimate.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment estimate.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay: coupled (added to the gradient) in Adam, decoupled in <see cref="AdamW"/>.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override string Name => "adam";

    /// <inheritdoc />
    protected override int SlotCount => 2;

    /// <summary>True when the weight decay is decoupled (AdamW).</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc />
    protected override void Update(Span<float> weights, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float lr = LearningRate, b1 = Beta1, b2 = Beta2, wd = WeightDecay;
        float bc1 = 1f - MathF.Pow(b1, step);
        float bc2Sqrt = MathF.Sqrt(1f - MathF.Pow(b2, step));
        float stepSize = lr / bc1;
        float decay = DecoupledWeightDecay ? 1f - lr * wd : 1f;
        float coupled = DecoupledWeightDecay ? 0f : wd;
        var m = slots[0];
        var v = slots[1];
        for (int i = 0; i < weights.Length; i++)
        {
            float w = weights[i] * decay;
            float g = gradient[i] + coupled * weights[i];
            m[i] = b1 * m[i] + (1f - b1) * g;
            v[i] = b2 * v[i] + (1f - b2) * g * g;
            float denom = MathF.Sqrt(v[i]) / bc2Sqrt + Epsilon;
            weights[i] = w - stepSize * m[i] / denom;
        }
    }
}
