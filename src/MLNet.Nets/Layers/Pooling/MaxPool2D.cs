namespace MLNet.Nets.Layers;

/// <summary>
/// 2-D max pooling (PyTorch's <c>nn.MaxPool2d</c>, Keras's <c>MaxPooling2D</c>): the largest value in each window.
/// </summary>
/// <remarks>
/// Input [N, C, H, W]; output [N, C, OH, OW] with OH = (H + padding − pool) / stride + 1 (floor; Same gives
/// ceil(H / stride)). The stride defaults to the pool size. No parameters. Padding never wins (it acts as −∞); the gradient goes to the first maximum of each window.
/// </remarks>
public sealed class MaxPool2D : PoolingLayerBase
{
    /// <summary>Creates a 2-D max pooling with a square window.</summary>
    /// <param name="poolSize">Window height and width; default 2.</param>
    /// <param name="stride">Stride along both axes; null (default) means the pool size.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="name">Layer name, or null.</param>
    public MaxPool2D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid, string? name = null)
        : this((poolSize, poolSize), (stride ?? poolSize, stride ?? poolSize), padding, null, name)
    {
    }

    /// <summary>Creates a 2-D max pooling with a rectangular window and PyTorch-style explicit padding (e.g. 3×3, stride 2, padding 1).</summary>
    /// <param name="poolSize">(height, width) of the window.</param>
    /// <param name="stride">(vertical, horizontal) stride.</param>
    /// <param name="padding">Padding (top, left, bottom, right), each smaller than the window.</param>
    /// <param name="name">Layer name, or null.</param>
    public MaxPool2D((int Height, int Width) poolSize, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, string? name = null)
        : this(poolSize, stride, Padding.Valid, padding, name)
    {
    }

    private MaxPool2D((int H, int W) pool, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding, string? name)
        : base(2, pool.H, pool.W, stride.H, stride.W, padding, explicitPadding, name)
    {
    }

    /// <inheritdoc />
    protected override bool IsMax => true;

    /// <inheritdoc />
    public override LayerConfig GetConfig() => BaseConfig();

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static MaxPool2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MaxPool2D(ReadPair(config, "pool_size", false), ReadPair(config, "strides", false),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config),
            config.GetStringOrNull("name"));
    }
}
