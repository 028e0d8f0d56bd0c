using MLNet.Nets.Layers;

namespace MLNet.Nets.Optimizers;

/// <summary>
/// Updates parameters from their gradients. One <see cref="Step"/> per training batch: adds each parameter's L1/L2
/// penalty gradient, clips (by value, then by global norm, when set), and applies the optimizer's update rule.
/// Frozen parameters (<see cref="Parameter.Trainable"/> false) are skipped.
/// </summary>
/// <remarks>
/// Update rules follow PyTorch's <c>torch.optim</c> (1.13) exactly, including its defaults; a test checks each one
/// against PyTorch. Per-parameter state (moments, step count) is created on the first step that sees the parameter.
/// </remarks>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, ParameterSlots> _state = new(ReferenceEqualityComparer.Instance);
    private readonly List<Parameter> _active = [];
    private float _learningRate;
    private float? _clipValue;
    private float? _clipNorm;

    /// <summary>Creates an optimizer with the given learning rate.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The step size; schedules and callbacks change it between epochs. Must be ≥ 0.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = value >= 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite value ≥ 0.");
    }

    /// <summary>When set, each gradient element is clamped to [−value, value] before the update. Default null (off).</summary>
    public float? ClipValue
    {
        get => _clipValue;
        set => _clipValue = value is null || value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(ClipValue), value, "Must be positive.");
    }

    /// <summary>
    /// When set, all gradients are scaled together so that their global L2 norm is at most this value, as PyTorch's
    /// <c>clip_grad_norm_</c> (scale = max / (norm + 1e-6) when below 1). Applied after <see cref="ClipValue"/>. Default null (off).
    /// </summary>
    public float? ClipNorm
    {
        get => _clipNorm;
        set => _clipNorm = value is null || value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(ClipNorm), value, "Must be positive.");
    }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>A short name such as <c>adam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Number of state arrays (each the size of the parameter) the rule keeps per parameter.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>
    /// Applies one update to every trainable parameter from its <see cref="Parameter.Gradient"/>. Regularization and
    /// clipping are applied to the gradient tensors in place.
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _active.Clear();
        for (int i = 0; i < parameters.Count; i++) if (parameters[i].Trainable) _active.Add(parameters[i]);

        foreach (var p in _active)
        {
            if (p.L1 == 0 && p.L2 == 0) continue;
            var w = p.Value.Span;
            var g = p.Gradient.Span;
            float l1 = p.L1, l2x2 = 2f * p.L2;
            for (int i = 0; i < g.Length; i++) g[i] += l1 * MathF.Sign(w[i]) + l2x2 * w[i];
        }
        if (_clipValue is float cv)
        {
            foreach (var p in _active)
            {
                var g = p.Gradient.Span;
                for (int i = 0; i < g.Length; i++) g[i] = Math.Clamp(g[i], -cv, cv);
            }
        }
        if (_clipNorm is float maxNorm)
        {
            double sq = 0;
            foreach (var p in _active)
            {
                foreach (float v in p.Gradient.Span) sq += (double)v * v;
            }
            double coef = maxNorm / (Math.Sqrt(sq) + 1e-6);
            if (coef < 1)
            {
                float c = (float)coef;
                foreach (var p in _active)
                {
                    var g = p.Gradient.Span;
                    for (int i = 0; i < g.Length; i++) g[i] *= c;
                }
            }
        }

        Iterations++;
        foreach (var p in _active)
        {
            if (!_state.TryGetValue(p, out var slots))
            {
                var arrays = new float[SlotCount][];
                for (int s = 0; s < arrays.Length; s++) arrays[s] = new float[p.Value.Length];
                slots = new ParameterSlots(arrays);
                _state[p] = slots;
            }
            slots.Step++;
            Update(p.Value.Span, p.Gradient.Span, slots.Arrays, slots.Step);
        }
    }

    /// <summary>Forgets all per-parameter state (moments and step counts).</summary>
    public void Reset()
    {
        _state.Clear();
        Iterations = 0;
    }

    /// <summary>
    /// Applies the rule to one parameter.
    /// </summary>
    /// <param name="weights">The parameter's values, updated in place.</param>
    /// <param name="gradient">The gradient after regularization and clipping.</param>
    /// <param name="slots"><see cref="SlotCount"/> state arrays of the parameter's size, zero on the first step.</param>
    /// <param name="step">1 on the parameter's first update, then 2, 3, …</param>
    protected abstract void Update(Span<float> weights, ReadOnlySpan<float> gradient, float[][] slots, long step);

    /// <summary>Σ over trainable parameters of l1·Σ|w| + l2·Σw²: the regularization term added to the reported loss.</summary>
    public static double RegularizationPenalty(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double total = 0;
        foreach (var p in parameters)
        {
            if (!p.Trainable || (p.L1 == 0 && p.L2 == 0)) continue;
            double l1 = 0, l2 = 0;
            foreach (float w in p.Value.Span)
            {
                l1 += Math.Abs(w);
                l2 += (double)w * w;
            }
            total += p.L1 * l1 + p.L2 * l2;
        }
        return total;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}(lr={LearningRate})";

    private sealed class ParameterSlots(float[][] arrays)
    {
        public float[][] Arrays { get; } = arrays;
        public long Step { get; set; }
    }
}
