namespace MLNet.Nets.Optimizers;

/// <summary>
/// Adadelta, PyTorch's <c>torch.optim.Adadelta</c>: v ← ρv + (1 − ρ)g²; Δ = √(u + ε)/√(v + ε)·g;
/// u ← ρu + (1 − ρ)Δ²; w ← w − lr·Δ.
/// </summary>
public sealed class Adadelta : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Scale of the update; default 1.0 (PyTorch's default).</param>
    /// <param name="rho">Decay of the running averages; default 0.9.</param>
    /// <param name="epsilon">Added inside the square roots; default 1e-6.</param>
    /// <param name="weightDecay">Coupled L2 decay added to the gradient; default 0.</param>
    public Adadelta(float learningRate = 1f, float rho = 0.9f, float epsilon = 1e-6f, float weightDecay = 0f) : base(learningRate)
    {
        if (rho is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be in [0, 1].");
        Rho = rho;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the running averages.</summary>
    public float Rho { get; }

    /// <summary>Added inside the square roots.</summary>
    public float Epsilon { get; }

    /// <summary>Coupled L2 decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override string Name => "adadelta";

    /// <inheritdoc />
    protected override int SlotCount => 2;

    /// <inheritdoc />
    protected override void Update(Span<float> weights, ReadOnlySpan<float> gradient, float[][] slots, long step)
    {
        float lr = LearningRate, rho = Rho, eps = Epsilon, wd = WeightDecay;
        var v = slots[0];
        var u = slots[1];
        for (int i = 0; i < weights.Length; i++)
        {
            float g = gradient[i] + wd * weights[i];
            v[i] = rho * v[i] + (1f - rho) * g * g;
            float delta = MathF.Sqrt(u[i] + eps) / MathF.Sqrt(v[i] + eps) * g;
            u[i] = rho * u[i] + (1f - rho) * delta * delta;
            weights[i] -= lr * delta;
        }
    }
}
