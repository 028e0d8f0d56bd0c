namespace MLNet.Nets.Layers;

/// <summary>
/// 1-D max pooling over sequences (PyTorch's <c>nn.MaxPool1d</c>): the largest value in each window.
/// </summary>
/// <remarks>
/// Input [N, C, L]; output [N, C, OL] with OL = (L + padding − pool) / stride + 1 (floor; Same gives ceil(L / stride)).
/// The stride defaults to the pool size. No parameters. Padding never wins (it acts as −∞); the gradient goes to the first maximum of each window.
/// </remarks>
public sealed class MaxPool1D : PoolingLayerBase
{
    /// <summary>Creates a 1-D max pooling.</summary>
    /// <param name="poolSize">Window length; default 2.</param>
    /// <param name="stride">Stride; null (default) means the pool size.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="name">Layer name, or null.</param>
    public MaxPool1D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid, string? name = null)
        : this((1, poolSize), (1, stride ?? poolSize), padding, null, name)
    {
    }

    /// <summary>Creates a 1-D max pooling with PyTorch-style explicit padding.</summary>
    /// <param name="poolSize">Window length.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Padding (start, end), each smaller than the window.</param>
    /// <param name="name">Layer name, or null.</param>
    public MaxPool1D(int poolSize, int stride, (int Start, int End) padding, string? name = null)
        : this((1, poolSize), (1, stride), Padding.Valid, (0, padding.Start, 0, padding.End), name)
    {
    }

    private MaxPool1D((int H, int W) pool, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding, string? name)
        : base(1, 1, pool.W, 1, stride.W, padding, explicitPadding, name)
    {
    }

    /// <inheritdoc />
    protected override bool IsMax => true;

    /// <inheritdoc />
    public override LayerConfig GetConfig() => BaseConfig();

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static MaxPool1D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MaxPool1D(ReadPair(config, "pool_size", true), ReadPair(config, "strides", true),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config),
            config.GetStringOrNull("name"));
    }
}
