using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>Flattens each sample: [N, d₁, d₂, …] → [N, d₁·d₂·…], in row-major (C, H, W) order as PyTorch's <c>nn.Flatten</c>.</summary>
/// <remarks>The output is a view of the input (no copy); the backward pass is a view of the output gradient. No parameters.</remarks>
public sealed class Flatten : SingleInputLayer
{
    private ViewCache _forward;
    private ViewCache _backward;
    private Tensor? _input;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public Flatten(string? name = null) : base(name) { }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        long volume = 1;
        foreach (int d in inputShape) volume *= d;
        if (volume > int.MaxValue) throw new ArgumentException($"Layer '{Name}' (Flatten): [{string.Join(", ", inputShape)}] has too many elements per sample.");
        return [(int)volume];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        _input = input;
        return _forward.Get(input, [input.Dim(0), OutputShape[0]]);
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (Flatten): Backward called before Forward.");
        if (!outputGradient.HasShape(input.Dim(0), OutputShape[0]))
        {
            throw new ArgumentException($"Layer '{Name}' (Flatten): output gradient has shape {outputGradient.ShapeString} but the output is [{input.Dim(0)}, {OutputShape[0]}].");
        }
        if (!NeedsInputGradient) return null;
        return _backward.Get(outputGradient, input.Shape);
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Flatten FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Flatten(config.GetStringOrNull("name"));
    }
}
