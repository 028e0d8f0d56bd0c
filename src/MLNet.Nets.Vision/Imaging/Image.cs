namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// A decoded 8-bit image: <see cref="Height"/> rows of <see cref="Width"/> pixels, each pixel
/// <see cref="Channels"/> interleaved bytes in the order given by <see cref="Mode"/> (e.g. R, G, B).
/// Rows are stored top to bottom with no padding, so the byte of channel <c>c</c> at (x, y) is
/// <c>Pixels[(y · Width + x) · Channels + c]</c>.
/// </summary>
/// <remarks>
/// Sources with more than 8 bits per sample (16-bit PNG, PGM/PPM with maxval &gt; 255) are reduced to 8 bits by
/// rounding: <c>v8 = (v16 · 255 + 32895) &gt;&gt; 16</c> = round(v16 / 257), libpng's <c>png_set_scale_16</c> rule
/// (a general maxval M maps as round(v · 255 / M)). Note that PIL truncates 16-bit RGB PNGs to their high byte instead;
/// the two differ by at most 1.
/// </remarks>
public sealed class Image
{
    /// <summary>Creates a black (all-zero) image.</summary>
    /// <param name="width">Width in pixels, ≥ 1.</param>
    /// <param name="height">Height in pixels, ≥ 1.</param>
    /// <param name="mode">Channel layout.</param>
    public Image(int width, int height, ColorMode mode)
        : this(width, height, mode, AllocatePixels(width, height, mode))
    {
    }

    /// <summary>Wraps existing pixel bytes (no copy).</summary>
    /// <param name="width">Width in pixels, ≥ 1.</param>
    /// <param name="height">Height in pixels, ≥ 1.</param>
    /// <param name="mode">Channel layout.</param>
    /// <param name="pixels">Exactly <c>width · height · channels</c> bytes, rows top to bottom, channels interleaved.</param>
    public Image(int width, int height, ColorMode mode, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        CheckSize(width, height, mode);
        if (mode is < ColorMode.Gray or > ColorMode.Rgba) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown colour mode.");
        long need = (long)width * height * (int)mode;
        if (pixels.Length != need)
        {
            throw new ArgumentException($"A {width}×{height} {mode} image needs {need} bytes but {pixels.Length} were given.", nameof(pixels));
        }
        Width = width;
        Height = height;
        Mode = mode;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channel layout.</summary>
    public ColorMode Mode { get; }

    /// <summary>Bytes per pixel: 1 (Gray), 2 (GrayAlpha), 3 (Rgb) or 4 (Rgba).</summary>
    public int Channels => (int)Mode;

    /// <summary>Bytes per row, <c>Width · Channels</c>.</summary>
    public int Stride => Width * (int)Mode;

    /// <summary>True for <see cref="ColorMode.GrayAlpha"/> and <see cref="ColorMode.Rgba"/>.</summary>
    public bool HasAlpha => Mode is ColorMode.GrayAlpha or ColorMode.Rgba;

    /// <summary>The interleaved pixel bytes, rows top to bottom, length <c>Width · Height · Channels</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The bytes of row <paramref name="y"/> (0 = top), length <see cref="Stride"/>.</summary>
    public Span<byte> Row(int y)
    {
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y), y, $"Row must be in [0, {Height}).");
        return Pixels.AsSpan(y * Stride, Stride);
    }

    /// <summary>A deep copy.</summary>
    public Image Clone() => new(Width, Height, Mode, (byte[])Pixels.Clone());

    /// <summary>
    /// Converts to another channel layout, returning a new image (or this one when the mode is already
    /// <paramref name="mode"/>).
    /// </summary>
    /// <param name="mode">The target layout.</param>
    /// <param name="background">
    /// When the source has alpha and the target has none: null (the default) drops alpha, as PIL's
    /// <c>convert("RGB")</c> does; a colour composites each pixel over it,
    /// <c>out = round((v·a + bg·(255 − a)) / 255)</c>.
    /// </param>
    /// <remarks>
    /// Colour to gray uses PIL's rounded ITU-R 601-2 luma (see <see cref="Rgb24.Luminance"/>); gray to colour
    /// replicates the value; adding alpha sets it to 255.
    /// </remarks>
    public Image ConvertTo(ColorMode mode, Rgb24? background = null)
    {
        if (mode == Mode) return this;
        var result = new Image(Width, Height, mode);
        ColorConversion.Convert(Pixels, Mode, result.Pixels, mode, Width * Height, background);
        return result;
    }

    /// <summary>Shorthand for <c>ConvertTo(ColorMode.Rgb, background)</c>.</summary>
    public Image ToRgb(Rgb24? background = null) => ConvertTo(ColorMode.Rgb, background);

    /// <summary>Shorthand for <c>ConvertTo(ColorMode.Gray, background)</c>.</summary>
    public Image ToGray(Rgb24? background = null) => ConvertTo(ColorMode.Gray, background);

    /// <summary>Shorthand for <c>ConvertTo(ColorMode.Rgba)</c>.</summary>
    public Image ToRgba() => ConvertTo(ColorMode.Rgba);

    /// <inheritdoc/>
    public override string ToString() => $"Image {Width}×{Height} {Mode}";

    private static byte[] AllocatePixels(int width, int height, ColorMode mode)
    {
        CheckSize(width, height, mode);
        return new byte[(long)width * height * (int)mode];
    }

    private static void CheckSize(int width, int height, ColorMode mode)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be at least 1.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be at least 1.");
        if ((long)width * height * (int)mode > Array.MaxLength)
        {
            throw new ArgumentException($"A {width}×{height} {mode} image is larger than the largest byte array.");
        }
    }
}
