using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Applies an activation function element-wise (Keras's <c>Activation</c> layer; that name is taken by the
/// <see cref="Activation"/> enum, so model files and summaries call it ActivationLayer). <see cref="Activation.Softmax"/> normalises over the last axis.
/// </summary>
/// <remarks>Input and output have the same shape, any rank: [N, ...]. No parameters.</remarks>
public sealed class ActivationLayer : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="activation">The function.</param>
    /// <param name="alpha">LeakyReLU's negative slope or ELU's scale; 0 (default) selects PyTorch's default (0.01, 1.0).</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public ActivationLayer(Activation activation, float alpha = 0, string? name = null) : base(name)
    {
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), $"Unknown activation {activation}.");
        if (activation == Activation.ELU && alpha < 0) throw new ArgumentOutOfRangeException(nameof(alpha), $"ELU needs alpha > 0 but got {alpha}.");
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha must be finite but is {alpha}.");
        Activation = activation;
        Alpha = alpha;
    }

    /// <summary>The function.</summary>
    public Activation Activation { get; }

    /// <summary>The α passed to the constructor (0 means the activation's default).</summary>
    public float Alpha { get; }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        if (Activation == Activation.Softmax && (inputShape.Length == 0 || inputShape[^1] < 1))
        {
            throw new ArgumentException($"Layer '{Name}' (ActivationLayer softmax) needs a non-empty last axis but its input is [N, {string.Join(", ", inputShape)}].");
        }
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        _input = input;
        var y = Tensor.Reuse(ref _output, input.Shape);
        if (Activation == Activation.Softmax)
        {
            int cols = input.Dim(-1);
            Softmax.Forward(input.Span, y.Span, input.Length / cols, cols);
        }
        else
        {
            Activations.Forward(Activation, input.Span, y.Span, Alpha);
        }
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (ActivationLayer): Backward called before Forward.");
        if (!outputGradient.HasShape(input.Shape))
        {
            throw new ArgumentException($"Layer '{Name}' (ActivationLayer): output gradient has shape {outputGradient.ShapeString} but the output is {input.ShapeString}.");
        }
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, input.Shape);
        if (Activation == Activation.Softmax)
        {
            int cols = input.Dim(-1);
            Softmax.Backward(_output!.Span, outputGradient.Span, dx.Span, input.Length / cols, cols);
        }
        else
        {
            Activations.Backward(Activation, input.Span, _output!.Span, outputGradient.Span, dx.Span, Alpha);
        }
        return dx;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).SetEnum("activation", Activation).Set("alpha", Alpha);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static ActivationLayer FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ActivationLayer(config.GetEnum<Activation>("activation"), config.GetFloat("alpha", 0), config.GetStringOrNull("name"));
    }
}
