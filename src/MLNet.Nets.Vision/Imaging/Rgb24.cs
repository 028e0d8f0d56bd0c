namespace MLNet.Nets.Vision.Imaging;

/// <summary>An opaque 8-bit-per-channel colour, used for padding, rotation fill and alpha compositing backgrounds.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct Rgb24(byte R, byte G, byte B)
{
    /// <summary>Black (0, 0, 0).</summary>
    public static Rgb24 Black => new(0, 0, 0);

    /// <summary>White (255, 255, 255).</summary>
    public static Rgb24 White => new(255, 255, 255);

    /// <summary>
    /// The luminance PIL uses for RGB → L: <c>(R·19595 + G·38470 + B·7471 + 32768) &gt;&gt; 16</c>,
    /// i.e. ITU-R 601-2 weights 0.299, 0.587, 0.114 rounded to nearest.
    /// </summary>
    public byte Luminance => (byte)((R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16);
}
