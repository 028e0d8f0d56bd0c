namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// GIF87a/89a, first frame only, in managed code (LZW, local/global colour tables, interlacing). The result is the
/// logical screen: RGB, or RGBA when the frame's graphic control extension names a transparent index. Screen
/// areas the first frame does not cover get the background colour (transparent when there is a transparent index).
/// </summary>
internal static class GifDecoder
{
    public static Image Decode(ReadOnlySpan<byte> data, string name, ImageDecoderOptions options)
    {
        if (data.Length < 13) throw new ImageFormatException(name, "the GIF file is truncated inside its header.");
        int screenW = data[6] | (data[7] << 8), screenH = data[8] | (data[9] << 8);
        byte flags = data[10];
        int background = data[11];
        int pos = 13;
        byte[]? global = null;
        if ((flags & 0x80) != 0)
        {
            int size = 3 << ((flags & 7) + 1);
            if (pos + size > data.Length) throw new ImageFormatException(name, "the GIF file is truncated inside its global colour table.");
            global = data.Slice(pos, size).ToArray();
            pos += size;
        }
        int transparent = -1;
        while (true)
        {
            if (pos >= data.Length) throw new ImageFormatException(name, "the GIF file is truncated before its first image.");
            byte block = data[pos++];
            if (block == 0x3B) throw new ImageFormatException(name, "the GIF file contains no image.");
            if (block == 0x21)
            {
                if (pos >= data.Length) throw new ImageFormatException(name, "the GIF file is truncated inside an extension.");
                byte label = data[pos++];
                if (label == 0xF9 && pos + 5 < data.Length && data[pos] >= 4 && (data[pos + 1] & 1) != 0) transparent = data[pos + 4];
                pos = SkipSubBlocks(data, pos, name);
                continue;
            }
            if (block != 0x2C) throw new ImageFormatException(name, $"unexpected GIF block 0x{block:X2} at byte {pos - 1}.");
            if (pos + 9 > data.Length) throw new ImageFormatException(name, "the GIF file is truncated inside an image descriptor.");
            int left = data[pos] | (data[pos + 1] << 8), top = data[pos + 2] | (data[pos + 3] << 8);
            int fw = data[pos + 4] | (data[pos + 5] << 8), fh = data[pos + 6] | (data[pos + 7] << 8);
            byte imageFlags = data[pos + 8];
            pos += 9;
            byte[]? table = global;
            if ((imageFlags & 0x80) != 0)
            {
                int size = 3 << ((imageFlags & 7) + 1);
                if (pos + size > data.Length) throw new ImageFormatException(name, "the GIF file is truncated inside a local colour table.");
                table = data.Slice(pos, size).ToArray();
                pos += size;
            }
            if (table is null) throw new ImageFormatException(name, "the GIF image has no colour table.");
            if (screenW == 0 || screenH == 0) (screenW, screenH) = (left + fw, top + fh);
            ImageDecoder.CheckDimensions(screenW, screenH, name, options, "GIF");
            if (fw == 0 || fh == 0) throw new ImageFormatException(name, $"invalid GIF frame size {fw}×{fh}.");
            if (pos >= data.Length) throw new ImageFormatException(name, "the GIF file is truncated before its image data.");
            int minCodeSize = data[pos++];
            if (minCodeSize is < 1 or > 11) throw new ImageFormatException(name, $"invalid GIF LZW code size {minCodeSize}.");
            var indices = new byte[(long)fw * fh];
            int produced = Lzw(data, ref pos, minCodeSize, indices, name);
            if (produced < indices.Length) throw new ImageFormatException(name, $"the GIF image data is truncated ({produced} of {indices.Length} pixels).");
            return Compose(indices, table, fw, fh, left, top, screenW, screenH, (imageFlags & 0x40) != 0, transparent, background);
        }
    }

    private static Image Compose(byte[] indices, byte[] table, int fw, int fh, int left, int top, int sw, int sh, bool interlaced, int transparent, int background)
    {
        var mode = transparent >= 0 ? ColorMode.Rgba : ColorMode.Rgb;
        int oc = (int)mode, colors = table.Length / 3;
        var image = new Image(sw, sh, mode);
        var dst = image.Pixels;
        if (transparent < 0 && background < colors)
        {
            for (int i = 0; i < sw * sh; i++)
            {
                dst[i * 3] = table[background * 3]; dst[i * 3 + 1] = table[background * 3 + 1]; dst[i * 3 + 2] = table[background * 3 + 2];
            }
        }
        int[] rows = new int[fh];
        if (interlaced)
        {
            int k = 0;
            foreach (var (start, step) in new[] { (0, 8), (4, 8), (2, 4), (1, 2) })
            {
                for (int y = start; y < fh; y += step) rows[k++] = y;
            }
        }
        else
        {
            for (int y = 0; y < fh; y++) rows[y] = y;
        }
        for (int r = 0; r < fh; r++)
        {
            int y = top + rows[r];
            if (y >= sh) continue;
            for (int x = 0; x < fw && left + x < sw; x++)
            {
                int index = indices[r * fw + x];
                int o = (y * sw + left + x) * oc;
                if (index == transparent) continue;
                if (index < colors)
                {
                    dst[o] = table[index * 3]; dst[o + 1] = table[index * 3 + 1]; dst[o + 2] = table[index * 3 + 2];
                }
                if (oc == 4) dst[o + 3] = 255;
            }
        }
        return image;
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int pos, string name)
    {
        while (true)
        {
            if (pos >= data.Length) throw new ImageFormatException(name, "the GIF file is truncated inside a data block.");
            int size = data[pos++];
            if (size == 0) return pos;
            pos += size;
        }
    }

    private static int Lzw(ReadOnlySpan<byte> data, ref int pos, int minCodeSize, byte[] output, string name)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        var prefix = new short[4096];
        var suffix = new byte[4096];
        var stack = new byte[4097];
        for (int i = 0; i < clear; i++) suffix[i] = (byte)i;
        int codeSize = minCodeSize + 1, next = end + 1, old = -1;
        byte first = 0;
        int bits = 0, buffer = 0, outPos = 0, blockLeft = 0;
        while (outPos < output.Length)
        {
            while (bits < codeSize)
            {
                if (blockLeft == 0)
                {
                    if (pos >= data.Length) return outPos;
                    blockLeft = data[pos++];
                    if (blockLeft == 0) return outPos;
                }
                if (pos >= data.Length) return outPos;
                buffer |= data[pos++] << bits;
                bits += 8;
                blockLeft--;
            }
            int code = buffer & ((1 << codeSize) - 1);
            buffer >>= codeSize;
            bits -= codeSize;
            if (code == clear)
            {
                codeSize = minCodeSize + 1; next = end + 1; old = -1;
                continue;
            }
            if (code == end) break;
            if (old == -1)
            {
                if (code >= clear) throw new ImageFormatException(name, $"invalid GIF LZW code {code}.");
                output[outPos++] = (byte)code;
                first = (byte)code;
                old = code;
                continue;
            }
            int top = 0, c = code;
            if (code >= next)
            {
                if (code > next) throw new ImageFormatException(name, $"invalid GIF LZW code {code}.");
                stack[top++] = first;
                c = old;
            }
            while (c >= clear)
            {
                stack[top++] = suffix[c];
                c = prefix[c];
            }
            first = suffix[c];
            stack[top++] = first;
            while (top > 0 && outPos < output.Length) output[outPos++] = stack[--top];
            if (next < 4096)
            {
                prefix[next] = (short)old;
                suffix[next] = first;
                next++;
                if (next == 1 << codeSize && codeSize < 12) codeSize++;
            }
            old = code;
        }
        // Skip any remaining sub-blocks of the image data.
        if (blockLeft > 0) pos = Math.Min(data.Length, pos + blockLeft);
        return outPos;
    }
}
