using System.Buffers.Binary;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>Reads the EXIF orientation tag from a JPEG's APP1 segment and applies it to decoded pixels.</summary>
internal static class ExifOrientation
{
    /// <summary>The orientation (1–8) from the first APP1 "Exif" segment, or 1 when there is none or it is unreadable.</summary>
    public static int Read(ReadOnlySpan<byte> jpeg)
    {
        int pos = 2;
        while (pos + 4 <= jpeg.Length)
        {
            if (jpeg[pos] != 0xFF) return 1;
            byte marker = jpeg[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            // Orientation lives in APPn segments that precede the frame; stop at SOF/SOS/EOI.
            if (marker == 0xDA || marker == 0xD9 || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xCC)) return 1;
            int length = (jpeg[pos + 2] << 8) | jpeg[pos + 3];
            if (length < 2 || pos + 2 + length > jpeg.Length) return 1;
            var body = jpeg.Slice(pos + 4, length - 2);
            if (marker == 0xE1 && body.Length >= 14 && body[..6].SequenceEqual("Exif\0\0"u8))
            {
                int o = ParseTiff(body[6..]);
                if (o != 0) return o;
            }
            pos += 2 + length;
        }
        return 1;
    }

    private static int ParseTiff(ReadOnlySpan<byte> tiffSpan)
    {
        byte[] tiff = tiffSpan.ToArray();
        if (tiff.Length < 8) return 0;
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return 0;
        int U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(tiff.AsSpan(at));
        long U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(tiff.AsSpan(at));
        if (U16(2) != 42) return 0;
        long ifd = U32(4);
        if (ifd < 8 || ifd + 2 > tiff.Length) return 0;
        int count = U16((int)ifd);
        for (int i = 0; i < count; i++)
        {
            int entry = (int)ifd + 2 + i * 12;
            if (entry + 12 > tiff.Length) return 0;
            if (U16(entry) != 0x0112) continue;
            int type = U16(entry + 2);
            int value = type == 3 ? U16(entry + 8) : type == 4 ? (int)U32(entry + 8) : 0;
            return value is >= 1 and <= 8 ? value : 0;
        }
        return 0;
    }

    /// <summary>Returns the image turned upright for EXIF orientation <paramref name="orientation"/> (same rules as PIL's <c>exif_transpose</c>).</summary>
    public static Image Apply(Image image, int orientation)
    {
        if (orientation is < 2 or > 8) return image;
        int w = image.Width, h = image.Height, c = image.Channels;
        bool swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var result = new Image(ow, oh, image.Mode);
        byte[] src = image.Pixels, dst = result.Pixels;
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                // (sx, sy) is the stored pixel that lands at output (x, y).
                (int sx, int sy) = orientation switch
                {
                    2 => (w - 1 - x, y),            // mirror horizontal
                    3 => (w - 1 - x, h - 1 - y),    // rotate 180
                    4 => (x, h - 1 - y),            // mirror vertical
                    5 => (y, x),                    // transpose
                    6 => (y, h - 1 - x),            // rotate 90° clockwise
                    7 => (w - 1 - y, h - 1 - x),    // transverse
                    _ => (w - 1 - y, x),            // 8: rotate 90° counter-clockwise
                };
                Buffer.BlockCopy(src, (sy * w + sx) * c, dst, (y * ow + x) * c, c);
            }
        }
        return result;
    }
}
