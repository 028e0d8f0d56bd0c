namespace MLNet.Nets.Vision.Imaging;

/// <summary>Options for <see cref="ImageDecoder"/>. The defaults decode the way PIL's <c>ImageOps.exif_transpose(Image.open(f))</c> does.</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>The shared default options (orientation applied, CRCs checked, JPEG warnings are errors).</summary>
    public static ImageDecoderOptions Default { get; } = new();

    /// <summary>
    /// When false (the default) the EXIF orientation tag (0x0112) of a JPEG is applied, rotating/flipping the pixels
    /// so the image appears upright; when true the pixels are returned as stored.
    /// </summary>
    public bool IgnoreExifOrientation { get; init; }

    /// <summary>When true (the default) every PNG chunk CRC is verified and a mismatch is an error.</summary>
    public bool CheckCrc { get; init; } = true;

    /// <summary>
    /// When false (the default) a libjpeg warning (for example "Premature end of JPEG file" on a truncated file,
    /// or corrupt entropy data) is an error. When true the warning is ignored and the pixels libjpeg produced are
    /// returned (missing parts are gray), as PIL does with <c>ImageFile.LOAD_TRUNCATED_IMAGES = True</c>.
    /// </summary>
    public bool AllowJpegWarnings { get; init; }

    /// <summary>Largest accepted width × height, in pixels; larger images are rejected before allocation. Default 2^28.</summary>
    public long MaxPixels { get; init; } = 1L << 28;
}
