using MLNet.Nets.Kernels;

namespace MLNet.Nets.Layers;

/// <summary>
/// Global average pooling (Keras's <c>GlobalAveragePooling2D</c>): the mean of each channel's plane.
/// </summary>
/// <remarks>
/// Input [N, C, H, W]; output [N, C] (Keras's default), or [N, C, 1, 1] with <c>keepDims</c> (PyTorch's
/// <c>AdaptiveAvgPool2d(1)</c>). No parameters.
/// </remarks>
public sealed class GlobalAvgPool2D : GlobalPoolingLayerBase
{
    /// <summary>Creates a global average pooling layer.</summary>
    /// <param name="keepDims">True keeps the spatial axes as 1×1 ([N, C, 1, 1]); default false ([N, C]).</param>
    /// <param name="name">Layer name, or null.</param>
    public GlobalAvgPool2D(bool keepDims = false, string? name = null) : base(keepDims, name) { }

    /// <summary>Rebuilds the layer from <see cref="GlobalPoolingLayerBase.GetConfig"/>'s output.</summary>
    public static GlobalAvgPool2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GlobalAvgPool2D(config.GetBool("keep_dims", false), config.GetStringOrNull("name"));
    }

    /// <inheritdoc />
    protected override void Pool(ReadOnlySpan<float> x, Span<float> y) => GlobalPooling.AverageForward(Planes, Pixels, x, y);

    /// <inheritdoc />
    protected override void PoolBackward(ReadOnlySpan<float> dy, Span<float> dx) => GlobalPooling.AverageBackward(Planes, Pixels, dy, dx);
}
