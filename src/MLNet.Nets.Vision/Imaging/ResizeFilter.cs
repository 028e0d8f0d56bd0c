namespace MLNet.Nets.Vision.Imaging;

/// <summary>The resampling kernel of <see cref="ImageResizer"/>. Both widen with the scale factor when downscaling (antialiasing).</summary>
public enum ResizeFilter
{
    /// <summary>
    /// Triangle kernel <c>max(0, 1 − |t|)</c> with support 1 source pixel, stretched by the downscale factor:
    /// PIL's <c>Image.BILINEAR</c> (antialiased when shrinking, plain bilinear interpolation when enlarging).
    /// </summary>
    Bilinear,

    /// <summary>
    /// Box kernel (1 on (−½, ½], support ½) stretched by the downscale factor: each output pixel is the
    /// area-weighted mean of the source pixels it covers (area averaging); PIL's <c>Image.BOX</c>.
    /// </summary>
    Box,
}
