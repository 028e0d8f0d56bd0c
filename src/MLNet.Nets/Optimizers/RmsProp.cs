namespace MLNet.Nets.Optimizers;

/// <summary>
/// RMSProp, PyTorch's <c>torch.optim.RMSprop</c>: v ← αv + (1 − α)g²; with <see cref="Centered"/> ḡ ← αḡ + (1 − α)g
/// and d = √(v − ḡ²) + ε, else d = √v + ε; with momentum b ← μb + g/d and w ← w − lr·b, else w ← w − lr·g/d.
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size; default 0.01 (PyTorch's default).</param>
    /// <param name="alpha">Decay of the squared-gradient average; default 0.99.</param>
    /// <param name="epsilon">Added to the denominator; default 1e-8.</param>
    /// <param name="momentum">Momentum factor; default 0.</param>
    /// <param name="centered">Normalise by the estimated variance instead of the raw second moment; default false.</param>
    /// <param name="weightDecay">Coupled L2 decay added to the gradient; default 0.</param>
    public RmsProp(float learningRate = 0.01f, float alpha = 0.99f, float epsilon = 1e-8f, float momentum = 0f,
        bool centered = false, float weightDecay = 0f) : base(learningRate)
    {
        if (alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be in [0, 1].");
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be ≥ 0.");
        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the squared-gradient average.</summary>
    public float Alpha { get; }

    /// <summary>Added to the denominator.</summary>
    public float Epsilon { get; }

    /// <summary>Momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>True for the centered variant.</summary>
    public bool Centered { get; }

    /// <summary>Coupled L2 decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    protected override int SlotCount => 3;

    /// <inheritdoc />
    protected override void Update(Span<float> weights, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float lr = LearningRate, a = Alpha, mu = Momentum, wd = WeightDecay;
        var v = slots[0];
        var gAvg = slots[1];
        var buf = slots[2];
        for (int i = 0; i < weights.Length; i++)
        {
            float g = gradient[i] + wd * weights[i];
            v[i] = a * v[i] + (1f - a) * g * g;
            float d;
            if (Centered)
            {
                gAvg[i] = a * gAvg[i] + (1f - a) * g;
                d = MathF.Sqrt(v[i] - gAvg[i] * gAvg[i]) + Epsilon;
            }
            else
            {
                d = MathF.Sqrt(v[i]) + Epsilon;
            }
            if (mu > 0)
            {
                buf[i] = mu * buf[i] + g / d;
                weights[i] -= lr * buf[i];
            }
            else
            {
                weights[i] -= lr * g / d;
            }
        }
    }
}
