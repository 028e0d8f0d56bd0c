namespace MLNet.Nets.Layers;

/// <summary>
/// 1-D average pooling over sequences (PyTorch's <c>nn.AvgPool1d</c>): the mean of each window.
/// </summary>
/// <remarks>
/// Input [N, C, L]; output [N, C, OL] with OL = (L + padding − pool) / stride + 1 (floor; Same gives ceil(L / stride)).
/// The stride defaults to the pool size. No parameters. <c>countIncludePad</c> chooses the divisor at the borders: the
/// whole window including padding (PyTorch's default, used when it is null with explicit or Valid padding), or only
/// the input pixels in the window (TensorFlow/Keras, used when it is null with Same padding).
/// </remarks>
public sealed class AvgPool1D : PoolingLayerBase
{
    /// <summary>Creates a 1-D average pooling.</summary>
    /// <param name="poolSize">Window length; default 2.</param>
    /// <param name="stride">Stride; null (default) means the pool size.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor; null (default) picks PyTorch's
    /// true for Valid/explicit padding and Keras's false for Same.</param>
    /// <param name="name">Layer name, or null.</param>
    public AvgPool1D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid, bool? countIncludePad = null, string? name = null)
        : this((1, poolSize), (1, stride ?? poolSize), padding, null, countIncludePad, name)
    {
    }

    /// <summary>Creates a 1-D average pooling with PyTorch-style explicit padding.</summary>
    /// <param name="poolSize">Window length.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Padding (start, end), each smaller than the window.</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor; null (default) picks PyTorch's
    /// true for Valid/explicit padding and Keras's false for Same.</param>
    /// <param name="name">Layer name, or null.</param>
    public AvgPool1D(int poolSize, int stride, (int Start, int End) padding, bool? countIncludePad = null, string? name = null)
        : this((1, poolSize), (1, stride), Padding.Valid, (0, padding.Start, 0, padding.End), countIncludePad, name)
    {
    }

    private AvgPool1D((int H, int W) pool, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding, bool? countIncludePad, string? name)
        : base(1, 1, pool.W, 1, stride.W, padding, explicitPadding, name)
    {
        CountIncludePad = countIncludePad ?? !(explicitPadding is null && padding == Padding.Same);
    }

    /// <summary>Whether padded positions count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    protected override bool IsMax => false;

    /// <inheritdoc />
    protected override bool IncludePadInDivisor => CountIncludePad;

    /// <inheritdoc />
    public override LayerConfig GetConfig() => BaseConfig().Set("count_include_pad", CountIncludePad);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static AvgPool1D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AvgPool1D(ReadPair(config, "pool_size", true), ReadPair(config, "strides", true),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config), config.Has("count_include_pad") ? config.GetBool("count_include_pad") : null,
            config.GetStringOrNull("name"));
    }
}
