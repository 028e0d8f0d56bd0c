namespace MLNet.Nets.Vision.Imaging;

/// <summary>An encoded image format, recognised by <see cref="ImageDecoder.DetectFormat(ReadOnlySpan{byte})"/> from the first bytes.</summary>
public enum ImageFormat
{
    /// <summary>The bytes match no known image signature.</summary>
    Unknown = 0,

    /// <summary>JPEG/JFIF/EXIF (starts with FF D8 FF); decoded by libjpeg-turbo.</summary>
    Jpeg,

    /// <summary>PNG (starts with 89 'PNG' 0D 0A 1A 0A); decoded in managed code.</summary>
    Png,

    /// <summary>Windows bitmap (starts with 'BM'); decoded in managed code.</summary>
    Bmp,

    /// <summary>Netpbm PGM/PPM (starts with 'P2', 'P3', 'P5' or 'P6'); decoded in managed code.</summary>
    Pnm,

    /// <summary>GIF87a/GIF89a; the first frame is decoded in managed code.</summary>
    Gif,

    /// <summary>WebP (RIFF….WEBP); recognised so the error can name it, not decoded.</summary>
    WebP,

    /// <summary>TIFF (II*\0 or MM\0*); recognised so the error can name it, not decoded.</summary>
    Tiff,
}
