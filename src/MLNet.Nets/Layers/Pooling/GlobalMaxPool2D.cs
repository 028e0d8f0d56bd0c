using MLNet.Nets.Kernels;

namespace MLNet.Nets.Layers;

/// <summary>
/// Global max pooling (Keras's <c>GlobalMaxPooling2D</c>): the largest value of each channel's plane.
/// </summary>
/// <remarks>
/// Input [N, C, H, W]; output [N, C] (Keras's default), or [N, C, 1, 1] with <c>keepDims</c> (PyTorch's
/// <c>AdaptiveMaxPool2d(1)</c>). No parameters. The gradient goes to the first maximum of each plane.
/// </remarks>
public sealed class GlobalMaxPool2D : GlobalPoolingLayerBase
{
    private int[] _indices = [];

    /// <summary>Creates a global max pooling layer.</summary>
    /// <param name="keepDims">True keeps the spatial axes as 1×1 ([N, C, 1, 1]); default false ([N, C]).</param>
    /// <param name="name">Layer name, or null.</param>
    public GlobalMaxPool2D(bool keepDims = false, string? name = null) : base(keepDims, name) { }

    /// <summary>Rebuilds the layer from <see cref="GlobalPoolingLayerBase.GetConfig"/>'s output.</summary>
    public static GlobalMaxPool2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GlobalMaxPool2D(config.GetBool("keep_dims", false), config.GetStringOrNull("name"));
    }

    /// <inheritdoc />
    protected override void OnBatchSizeChanged() => _indices = new int[Planes];

    /// <inheritdoc />
    protected override void Pool(ReadOnlySpan<float> x, Span<float> y) => GlobalPooling.MaxForward(Planes, Pixels, x, y, _indices);

    /// <inheritdoc />
    protected override void PoolBackward(ReadOnlySpan<float> dy, Span<float> dx) => GlobalPooling.MaxBackward(Planes, Pixels, dy, _indices, dx);
}
