namespace MLNet.Nets.Vision.Imaging;

/// <summary>Pixel-layout conversions shared by <see cref="Image.ConvertTo"/> and the decoders.</summary>
internal static class ColorConversion
{
    public static byte Luma(int r, int g, int b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    private static byte Over(int v, int a, int bg) => (byte)((v * a + bg * (255 - a) + 127) / 255);

    public static void Convert(ReadOnlySpan<byte> src, ColorMode from, Span<byte> dst, ColorMode to, int pixels, Rgb24? background)
    {
        int sc = (int)from, dc = (int)to;
        bool composite = background.HasValue && (from is ColorMode.GrayAlpha or ColorMode.Rgba) && (to is ColorMode.Gray or ColorMode.Rgb);
        Rgb24 bg = background ?? Rgb24.Black;
        byte bgLuma = bg.Luminance;
        for (int i = 0; i < pixels; i++)
        {
            int s = i * sc, d = i * dc;
            int r, g, b, a;
            if (sc <= 2) { r = g = b = src[s]; a = sc == 2 ? src[s + 1] : 255; }
            else { r = src[s]; g = src[s + 1]; b = src[s + 2]; a = sc == 4 ? src[s + 3] : 255; }
            switch (to)
            {
                case ColorMode.Gray:
                    if (sc <= 2)
                    {
                        dst[d] = composite ? Over(r, a, bgLuma) : (byte)r;
                    }
                    else
                    {
                        dst[d] = composite ? Luma(Over(r, a, bg.R), Over(g, a, bg.G), Over(b, a, bg.B)) : Luma(r, g, b);
                    }
                    break;
                case ColorMode.GrayAlpha:
                    dst[d] = sc <= 2 ? (byte)r : Luma(r, g, b);
                    dst[d + 1] = (byte)a;
                    break;
                case ColorMode.Rgb:
                    if (composite)
                    {
                        dst[d] = Over(r, a, bg.R); dst[d + 1] = Over(g, a, bg.G); dst[d + 2] = Over(b, a, bg.B);
                    }
                    else
                    {
                        dst[d] = (byte)r; dst[d + 1] = (byte)g; dst[d + 2] = (byte)b;
                    }
                    break;
                default:
                    dst[d] = (byte)r; dst[d + 1] = (byte)g; dst[d + 2] = (byte)b; dst[d + 3] = (byte)a;
                    break;
            }
        }
    }
}
