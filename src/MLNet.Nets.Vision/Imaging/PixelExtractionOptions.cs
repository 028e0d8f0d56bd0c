namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// How <see cref="PixelExtractor"/> turns 8-bit pixels into floats:
/// <c>out[c] = (pixel[c] · Scale + Offset − Mean[c]) / Std[c]</c>.
/// </summary>
public sealed class PixelExtractionOptions
{
    /// <summary>Planar [C, H, W] (the default) or interleaved [H, W, C].</summary>
    public PixelLayout Layout { get; init; } = PixelLayout.Planar;

    /// <summary>Colour channel order; default <see cref="ChannelOrder.Rgb"/>. Ignored for gray images.</summary>
    public ChannelOrder Order { get; init; } = ChannelOrder.Rgb;

    /// <summary>Multiplies each byte first; default 1 (values stay 0–255, ML.NET's default). Use 1/255 for [0, 1].</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Added after scaling; default 0.</summary>
    public float Offset { get; init; }

    /// <summary>
    /// Per-channel mean subtracted after scale/offset, in output channel order; one value (used for all channels)
    /// or one per output channel. Null (the default) means 0.
    /// </summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-channel divisor applied last, like <see cref="Mean"/>; null (the default) means 1. Values must be non-zero.</summary>
    public float[]? Std { get; init; }

    /// <summary>When true the alpha channel of GrayAlpha/RGBA images is extracted as the last channel; default false (dropped).</summary>
    public bool KeepAlpha { get; init; }

    /// <summary>
    /// torchvision's ImageNet normalisation: planar RGB, scale 1/255, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
    /// </summary>
    public static PixelExtractionOptions ImageNet { get; } = new()
    {
        Scale = 1f / 255f,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };
}
