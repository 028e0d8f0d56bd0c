using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Inverted dropout: in training each element is zeroed with probability <see cref="Rate"/> and the rest scaled by
/// 1/(1 − rate); at inference the layer is the identity (it returns its input).
/// </summary>
/// <remarks>Input and output have the same shape, any rank: [N, ...]. No parameters.</remarks>
public sealed class Dropout : SingleInputLayer
{
    private Random? _random;
    private Tensor? _mask;
    private Tensor? _output;
    private bool _lastWasDropped;
    private int[]? _lastShape;

    /// <summary>Creates the layer.</summary>
    /// <param name="rate">Drop probability in [0, 1).</param>
    /// <param name="seed">Seed of the masks; null draws one from the model's generator when the layer is built, so that a seeded model is reproducible.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public Dropout(float rate, int? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout rate must be in [0, 1) but is {rate}.");
        Rate = rate;
        Seed = seed;
    }

    /// <summary>Drop probability.</summary>
    public float Rate { get; }

    /// <summary>The seed given to the constructor, or null.</summary>
    public int? Seed { get; }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        _random = new Random(Seed ?? random.Next());
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        _lastWasDropped = training && Rate > 0;
        if (_lastShape is null || !input.HasShape(_lastShape)) _lastShape = input.Shape.ToArray();
        if (!_lastWasDropped) return input;
        var y = Tensor.Reuse(ref _output, input.Shape);
        var mask = Tensor.Reuse(ref _mask, input.Shape);
        InvertedDropout.Forward(input.Span, y.Span, mask.Span, Rate, _random!);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_lastShape is null) throw new InvalidOperationException($"Layer '{Name}' (Dropout): Backward called before Forward.");
        if (!outputGradient.HasShape(_lastShape))
        {
            throw new ArgumentException($"Layer '{Name}' (Dropout): output gradient has shape {outputGradient.ShapeString} but the output is {Tensor.FormatShape(_lastShape)}.");
        }
        if (!NeedsInputGradient) return null;
        if (!_lastWasDropped) return outputGradient;
        var dx = InputGradientBuffer(0, outputGradient.Shape);
        InvertedDropout.Backward(outputGradient.Span, _mask!.Span, dx.Span);
        return dx;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig()
    {
        var config = new LayerConfig().Set("name", Name).Set("rate", Rate);
        if (Seed is int seed) config.Set("seed", seed);
        return config;
    }

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Dropout FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Dropout(config.GetFloat("rate"), config.Has("seed") ? config.GetInt("seed") : null, config.GetStringOrNull("name"));
    }
}
