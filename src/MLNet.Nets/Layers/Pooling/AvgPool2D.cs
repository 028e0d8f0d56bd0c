namespace MLNet.Nets.Layers;

/// <summary>
/// 2-D average pooling (PyTorch's <c>nn.AvgPool2d</c>, Keras's <c>AveragePooling2D</c>): the mean of each window.
/// </summary>
/// <remarks>
/// Input [N, C, H, W]; output [N, C, OH, OW] with OH = (H + padding − pool) / stride + 1 (floor; Same gives
/// ceil(H / stride)). The stride defaults to the pool size. No parameters. <c>countIncludePad</c> chooses the divisor at the borders: the
/// whole window including padding (PyTorch's default, used when it is null with explicit or Valid padding), or only
/// the input pixels in the window (TensorFlow/Keras, used when it is null with Same padding).
/// </remarks>
public sealed class AvgPool2D : PoolingLayerBase
{
    /// <summary>Creates a 2-D average pooling with a square window.</summary>
    /// <param name="poolSize">Window height and width; default 2.</param>
    /// <param name="stride">Stride along both axes; null (default) means the pool size.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor; null (default) picks PyTorch's
    /// true for Valid/explicit padding and Keras's false for Same.</param>
    /// <param name="name">Layer name, or null.</param>
    public AvgPool2D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid, bool? countIncludePad = null, string? name = null)
        : this((poolSize, poolSize), (stride ?? poolSize, stride ?? poolSize), padding, null, countIncludePad, name)
    {
    }

    /// <summary>Creates a 2-D average pooling with a rectangular window and PyTorch-style explicit padding (e.g. 3×3, stride 2, padding 1).</summary>
    /// <param name="poolSize">(height, width) of the window.</param>
    /// <param name="stride">(vertical, horizontal) stride.</param>
    /// <param name="padding">Padding (top, left, bottom, right), each smaller than the window.</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor; null (default) picks PyTorch's
    /// true for Valid/explicit padding and Keras's false for Same.</param>
    /// <param name="name">Layer name, or null.</param>
    public AvgPool2D((int Height, int Width) poolSize, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, bool? countIncludePad = null, string? name = null)
        : this(poolSize, stride, Padding.Valid, padding, countIncludePad, name)
    {
    }

    private AvgPool2D((int H, int W) pool, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding, bool? countIncludePad, string? name)
        : base(2, pool.H, pool.W, stride.H, stride.W, padding, explicitPadding, name)
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
    public static AvgPool2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AvgPool2D(ReadPair(config, "pool_size", false), ReadPair(config, "strides", false),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config), config.Has("count_include_pad") ? config.GetBool("count_include_pad") : null,
            config.GetStringOrNull("name"));
    }
}
