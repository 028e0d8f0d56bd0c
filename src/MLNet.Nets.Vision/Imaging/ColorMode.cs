namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// The channel layout of an <see cref="Image"/>. The numeric value is the number of interleaved 8-bit channels per pixel.
/// </summary>
public enum ColorMode
{
    /// <summary>One channel: luminance (PIL mode "L").</summary>
    Gray = 1,

    /// <summary>Two channels: luminance, then alpha (PIL mode "LA"). Alpha 255 is opaque.</summary>
    GrayAlpha = 2,

    /// <summary>Three channels in the order red, green, blue (PIL mode "RGB").</summary>
    Rgb = 3,

    /// <summary>Four channels: red, green, blue, alpha, not premultiplied (PIL mode "RGBA"). Alpha 255 is opaque.</summary>
    Rgba = 4,
}
