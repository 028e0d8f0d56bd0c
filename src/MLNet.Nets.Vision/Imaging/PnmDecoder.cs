namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Netpbm PGM/PPM: P2 (ASCII gray), P3 (ASCII colour), P5 (binary gray), P6 (binary colour); maxval 1–65535.
/// Samples are scaled to 8 bits as round(v · 255 / maxval); two-byte samples (maxval &gt; 255) are big-endian.
/// </summary>
internal static class PnmDecoder
{
    public static Image Decode(ReadOnlySpan<byte> data, string name, ImageDecoderOptions options)
    {
        char kind = (char)data[1];
        int pos = 2;
        int width = ReadHeaderInt(data, ref pos, name, "width");
        int height = ReadHeaderInt(data, ref pos, name, "height");
        int maxval = ReadHeaderInt(data, ref pos, name, "maxval");
        if (maxval is < 1 or > 65535) throw new ImageFormatException(name, $"invalid PNM maxval {maxval} (must be 1–65535).");
        ImageDecoder.CheckDimensions(width, height, name, options, "PNM");
        bool color = kind is '3' or '6';
        var image = new Image(width, height, color ? ColorMode.Rgb : ColorMode.Gray);
        var dst = image.Pixels;
        int count = dst.Length;
        if (kind is '5' or '6')
        {
            // Exactly one whitespace byte separates the header from binary data.
            if (pos >= data.Length || !IsSpace(data[pos])) throw new ImageFormatException(name, "the PNM header is not followed by whitespace.");
            pos++;
            int bytesPer = maxval > 255 ? 2 : 1;
            long need = (long)count * bytesPer;
            if (data.Length - pos < need) throw new ImageFormatException(name, $"the PNM file is truncated: pixel data needs {need} bytes but {data.Length - pos} remain.");
            if (maxval == 255)
            {
                data.Slice(pos, count).CopyTo(dst);
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    int v = bytesPer == 2 ? (data[pos + 2 * i] << 8) | data[pos + 2 * i + 1] : data[pos + i];
                    dst[i] = ScaleSample(v, maxval, name, i);
                }
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                int v = ReadHeaderInt(data, ref pos, name, $"sample {i}");
                dst[i] = ScaleSample(v, maxval, name, i);
            }
        }
        return image;
    }

    private static byte ScaleSample(int v, int maxval, string name, int index)
    {
        if (v > maxval) throw new ImageFormatException(name, $"PNM sample {index} has value {v}, above maxval {maxval}.");
        return (byte)(((long)v * 255 + maxval / 2) / maxval);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static int ReadHeaderInt(ReadOnlySpan<byte> data, ref int pos, string name, string what)
    {
        while (pos < data.Length)
        {
            if (IsSpace(data[pos])) pos++;
            else if (data[pos] == '#') { while (pos < data.Length && data[pos] != '\n' && data[pos] != '\r') pos++; }
            else break;
        }
        if (pos >= data.Length) throw new ImageFormatException(name, $"the PNM file is truncated before its {what}.");
        long value = 0;
        int start = pos;
        while (pos < data.Length && data[pos] >= '0' && data[pos] <= '9')
        {
            value = value * 10 + (data[pos] - '0');
            if (value > int.MaxValue) throw new ImageFormatException(name, $"the PNM {what} is too large.");
            pos++;
        }
        if (pos == start) throw new ImageFormatException(name, $"the PNM {what} is not a number (byte {pos}).");
        return (int)value;
    }
}
