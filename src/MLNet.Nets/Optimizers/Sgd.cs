namespace MLNet.Nets.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum (heavy-ball or Nesterov), PyTorch's <c>torch.optim.SGD</c>:
/// g ← g + wd·w; b ← g on the first step, else μ·b + (1 − dampening)·g; then g ← g + μ·b (Nesterov) or g ← b;
/// w ← w − lr·g.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size; default 0.01 (Keras's default).</param>
    /// <param name="momentum">μ ≥ 0; default 0 (plain SGD).</param>
    /// <param name="nesterov">Nesterov momentum; needs momentum &gt; 0 and dampening 0. Default false.</param>
    /// <param name="dampening">Dampening of the momentum; default 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as wd·w (PyTorch's coupled decay); default 0.</param>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float dampening = 0f, float weightDecay = 0f)
        : base(learningRate)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be ≥ 0.");
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening 0.", nameof(nesterov));
        }
        Momentum = momentum;
        Nesterov = nesterov;
        Dampening = dampening;
        WeightDecay = weightDecay;
    }

    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>The momentum dampening.</summary>
    public float Dampening { get; }

    /// <summary>The coupled L2 weight decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override string Name => "sgd";

    /// <inheritdoc />
    protected override int SlotCount => Momentum > 0 ? 1 : 0;

    /// <inheritdoc />
    protected override void Update(Span<float> weights, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float lr = LearningRate, mu = Momentum, wd = WeightDecay, damp = 1f - Dampening;
        for (int i = 0; i < weights.Length; i++)
        {
            float g = gradient[i] + wd * weights[i];
            if (mu > 0)
            {
                ref float b = ref slots[0][i];
                b = step == 1 ? g : mu * b + damp * g;
                g = Nesterov ? g + mu * b : b;
            }
            weights[i] -= lr * g;
        }
    }
}
