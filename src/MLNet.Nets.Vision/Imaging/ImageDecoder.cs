using System.Diagnostics.CodeAnalysis;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Decodes JPEG (through libjpeg-turbo's TurboJPEG library), PNG, BMP, PGM/PPM and GIF (first frame) into an
/// <see cref="Image"/>. The format is recognised from the content's first bytes, never from the file extension,
/// so a PNG named <c>photo.jpg</c> decodes as a PNG.
/// </summary>
/// <remarks>
/// The result keeps the source's channel layout: gray JPEG/PNG/PGM → <see cref="ColorMode.Gray"/>, colour →
/// <see cref="ColorMode.Rgb"/>, PNG/BMP with alpha or a tRNS chunk → <see cref="ColorMode.GrayAlpha"/>/<see cref="ColorMode.Rgba"/>,
/// palette images → RGB (RGBA with transparency), CMYK/YCCK JPEG → RGB (PIL's CMYK→RGB rule, Adobe-inverted data).
/// Use <see cref="Image.ConvertTo"/> for a fixed layout. Every failure is an <see cref="ImageFormatException"/>
/// whose message starts with the file name. All methods are thread-safe.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Reads and decodes the file at <paramref name="path"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="options">Decoding options; null means <see cref="ImageDecoderOptions.Default"/>.</param>
    /// <exception cref="ImageFormatException">The file is empty, truncated, corrupt, not an image, or unsupported.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Image Decode(string path, ImageDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = File.ReadAllBytes(path);
        return Decode(bytes, path, options);
    }

    /// <summary>
    /// Decodes the file at <paramref name="path"/> without throwing for bad content, so a loader can skip bad files and
    /// count them. Unreadable files (missing, no permission, I/O error) are reported the same way.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="image">The decoded image, or null on failure.</param>
    /// <param name="error">Null on success; otherwise the error, whose message starts with <paramref name="path"/>.</param>
    /// <param name="options">Decoding options; null means <see cref="ImageDecoderOptions.Default"/>.</param>
    /// <returns>True when the file decoded.</returns>
    public static bool TryDecode(string path, [NotNullWhen(true)] out Image? image, [NotNullWhen(false)] out ImageFormatException? error,
        ImageDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            image = Decode(path, options);
            error = null;
            return true;
        }
        catch (ImageFormatException e)
        {
            error = e;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = new ImageFormatException(path, $"the file cannot be read ({e.Message}).", e);
        }
        image = null;
        return false;
    }

    /// <summary>Reads <paramref name="stream"/> to its end and decodes the bytes.</summary>
    /// <param name="stream">A readable stream positioned at the start of the image.</param>
    /// <param name="name">The name used in error messages (e.g. the original file name).</param>
    /// <param name="options">Decoding options; null means <see cref="ImageDecoderOptions.Default"/>.</param>
    /// <exception cref="ImageFormatException">The content is empty, truncated, corrupt, not an image, or unsupported.</exception>
    public static Image Decode(Stream stream, string name = "<stream>", ImageDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name, options);
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <param name="data">The whole encoded file.</param>
    /// <param name="name">The name used in error messages.</param>
    /// <param name="options">Decoding options; null means <see cref="ImageDecoderOptions.Default"/>.</param>
    /// <exception cref="ImageFormatException">The content is empty, truncated, corrupt, not an image, or unsupported.</exception>
    public static Image Decode(ReadOnlySpan<byte> data, string name = "<buffer>", ImageDecoderOptions? options = null)
    {
        options ??= ImageDecoderOptions.Default;
        name ??= "<buffer>";
        if (data.Length == 0) throw new ImageFormatException(name, "the file is empty (0 bytes).");
        var format = DetectFormat(data);
        try
        {
            return format switch
            {
                ImageFormat.Jpeg => JpegDecoder.Decode(data, name, options),
                ImageFormat.Png => PngDecoder.Decode(data, name, options),
                ImageFormat.Bmp => BmpDecoder.Decode(data, name, options),
                ImageFormat.Pnm => PnmDecoder.Decode(data, name, options),
                ImageFormat.Gif => GifDecoder.Decode(data, name, options),
                ImageFormat.WebP or ImageFormat.Tiff => throw new ImageFormatException(name,
                    $"{format} images are not supported (supported: JPEG, PNG, BMP, PGM/PPM, GIF)."),
                _ => throw new ImageFormatException(name,
                    $"not a recognised image format (first bytes: {Convert.ToHexString(data[..Math.Min(8, data.Length)])}); " +
                    "supported: JPEG, PNG, BMP, PGM/PPM, GIF."),
            };
        }
        catch (ImageFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException or InvalidDataException or EndOfStreamException)
        {
            throw new ImageFormatException(name, $"corrupt {format} data ({e.Message}).", e);
        }
    }

    /// <summary>Recognises the format from the first bytes (magic numbers); the file extension plays no part.</summary>
    /// <param name="header">The first bytes of the file (12 are enough).</param>
    public static ImageFormat DetectFormat(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF) return ImageFormat.Jpeg;
        if (header.Length >= 8 && header[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFormat.Png;
        if (header.Length >= 2 && header[0] == 'B' && header[1] == 'M') return ImageFormat.Bmp;
        if (header.Length >= 3 && header[0] == 'P' && header[1] is (byte)'2' or (byte)'3' or (byte)'5' or (byte)'6'
            && header[2] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'#') return ImageFormat.Pnm;
        if (header.Length >= 6 && (header[..6].SequenceEqual("GIF87a"u8) || header[..6].SequenceEqual("GIF89a"u8))) return ImageFormat.Gif;
        if (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header.Slice(8, 4).SequenceEqual("WEBP"u8)) return ImageFormat.WebP;
        if (header.Length >= 4 && (header[..4].SequenceEqual((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || header[..4].SequenceEqual((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A]))) return ImageFormat.Tiff;
        return ImageFormat.Unknown;
    }

    internal static void CheckDimensions(int width, int height, string name, ImageDecoderOptions options, string format)
    {
        if (width < 1 || height < 1) throw new ImageFormatException(name, $"invalid {format} size {width}×{height}.");
        if ((long)width * height > options.MaxPixels)
        {
            throw new ImageFormatException(name, $"{format} size {width}×{height} exceeds the limit of {options.MaxPixels} pixels (ImageDecoderOptions.MaxPixels).");
        }
    }
}
