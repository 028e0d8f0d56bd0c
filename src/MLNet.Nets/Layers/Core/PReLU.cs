using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Parametric ReLU: y = x for x &gt; 0, else a·x with a learnable slope a — one per channel (axis 1 of the batched
/// input) or one shared by all, as PyTorch's <c>nn.PReLU</c>.
/// </summary>
/// <remarks>
/// Input [N, C, ...] or [N, F] (C = F); output the same shape. Parameter <c>weight</c>: [C] per channel or [1] shared,
/// initialised to 0.25 (PyTorch's default).
/// </remarks>
public sealed class PReLU : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="perChannel">One slope per channel (default) or one shared slope (PyTorch's num_parameters = 1).</param>
    /// <param name="initialSlope">The slopes' initial value; default 0.25.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public PReLU(bool perChannel = true, float initialSlope = 0.25f, string? name = null) : base(name)
    {
        if (!float.IsFinite(initialSlope)) throw new ArgumentOutOfRangeException(nameof(initialSlope), $"The initial slope must be finite but is {initialSlope}.");
        PerChannel = perChannel;
        InitialSlope = initialSlope;
    }

    /// <summary>One slope per channel (true) or one shared slope (false).</summary>
    public bool PerChannel { get; }

    /// <summary>The slopes' initial value.</summary>
    public float InitialSlope { get; }

    /// <summary>The slopes [C] or [1]; available after the layer is built.</summary>
    public Parameter Weight { get; private set; } = null!;

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentException($"Layer '{Name}' (PReLU) needs input [N, C, ...] with positive sizes but got [N, {string.Join(", ", inputShape)}].");
        }
        var weight = new Tensor(PerChannel ? inputShape[0] : 1);
        Initializer.Constant(InitialSlope).Fill(weight, 1, 1, random);
        Weight = AddParameter("weight", weight);
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        _input = input;
        var y = Tensor.Reuse(ref _output, input.Shape);
        var (n, c, s) = Split(input);
        ParametricReLU.Forward(input.Span, Weight.Value.Span, y.Span, n, c, s);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (PReLU): Backward called before Forward.");
        if (!outputGradient.HasShape(input.Shape))
        {
            throw new ArgumentException($"Layer '{Name}' (PReLU): output gradient has shape {outputGradient.ShapeString} but the output is {input.ShapeString}.");
        }
        var (n, c, s) = Split(input);
        var dx = NeedsInputGradient ? InputGradientBuffer(0, input.Shape) : null;
        var dSlope = Weight.Trainable ? Weight.Gradient.Span : Span<float>.Empty;
        ParametricReLU.Backward(input.Span, Weight.Value.Span, outputGradient.Span, dx is null ? Span<float>.Empty : dx.Span, dSlope, n, c, s);
        return dx;
    }

    private static (int N, int C, int S) Split(Tensor input)
    {
        int n = input.Dim(0), c = input.Dim(1);
        return (n, c, n * c == 0 ? 1 : input.Length / (n * c));
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() =>
        new LayerConfig().Set("name", Name).Set("per_channel", PerChannel).Set("initial_slope", InitialSlope);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static PReLU FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PReLU(config.GetBool("per_channel", true), config.GetFloat("initial_slope", 0.25f), config.GetStringOrNull("name"));
    }
}
