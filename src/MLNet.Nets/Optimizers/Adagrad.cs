namespace MLNet.Nets.Optimizers;

/// <summary>
/// Adagrad, PyTorch's <c>torch.optim.Adagrad</c>: s ← s + g²; w ← w − lr/(1 + (t − 1)·decay) · g / (√s + ε),
/// with s starting at <see cref="InitialAccumulator"/>.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size; default 0.01.</param>
    /// <param name="learningRateDecay">Decay of the step size per step; default 0.</param>
    /// <param name="initialAccumulator">Starting value of the squared-gradient sum; default 0.</param>
    /// <param name="epsilon">Added to the denominator; default 1e-10.</param>
    /// <param name="weightDecay">Coupled L2 decay added to the gradient; default 0.</param>
    public Adagrad(float learningRate = 0.01f, float learningRateDecay = 0f, float initialAccumulator = 0f,
        float epsilon = 1e-10f, float weightDecay = 0f) : base(learningRate)
    {
        if (initialAccumulator < 0) throw new ArgumentOutOfRangeException(nameof(initialAccumulator), initialAccumulator, "Must be ≥ 0.");
        LearningRateDecay = learningRateDecay;
        InitialAccumulator = initialAccumulator;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the step size per step.</summary>
    public float LearningRateDecay { get; }

    /// <summary>Starting value of the squared-gradient sum.</summary>
    public float InitialAccumulator { get; }

    /// <summary>Added to the denominator.</summary>
    public float Epsilon { get; }

    /// <summary>Coupled L2 decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override string Name => "adagrad";

    /// <inheritdoc />
    protected override int SlotCount => 1;

    /// <inheritdoc />
    protected override void Update(Span<float> weights, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        var sum = slots[0];
        if (step == 1 && InitialAccumulator != 0) Array.Fill(sum, InitialAccumulator);
        float clr = LearningRate / (1f + (step - 1) * LearningRateDecay);
        float wd = WeightDecay;
        for (int i = 0; i < weights.Length; i++)
        {
            float g = gradient[i] + wd * weights[i];
            sum[i] += g * g;
            weights[i] -= clr * g / (MathF.Sqrt(sum[i]) + Epsilon);
        }
    }
}
