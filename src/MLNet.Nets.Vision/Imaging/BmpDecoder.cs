using System.Buffers.Binary;
using System.Numerics;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Windows BMP in managed code: 1/4/8-bit palette, 16/24/32-bit, BI_RGB and BI_BITFIELDS/BI_ALPHABITFIELDS,
/// bottom-up and top-down rows, header versions 2 (CORE, 12 bytes) through 5 (124 bytes). RLE compression is rejected.
/// </summary>
internal static class BmpDecoder
{
    private const int BiRgb = 0, BiBitfields = 3, BiAlphaBitfields = 6;

    public static Image Decode(ReadOnlySpan<byte> data, string name, ImageDecoderOptions options)
    {
        if (data.Length < 26) throw new ImageFormatException(name, $"the BMP file is truncated ({data.Length} bytes, shorter than its headers).");
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(data[14..]);
        if (headerSize is not (12 or 40 or 52 or 56 or 64 or 108 or 124)) throw new ImageFormatException(name, $"unknown BMP header size {headerSize}.");
        if (14 + headerSize > data.Length) throw new ImageFormatException(name, "the BMP file is truncated inside its header.");
        var h = data.Slice(14, headerSize);
        int width, height, bpp, compression = BiRgb, colorsUsed = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadInt16LittleEndian(h[4..]);
            height = BinaryPrimitives.ReadInt16LittleEndian(h[6..]);
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
        }
        else
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(h[4..]);
            height = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(h[14..]);
            compression = BinaryPrimitives.ReadInt32LittleEndian(h[16..]);
            colorsUsed = BinaryPrimitives.ReadInt32LittleEndian(h[32..]);
        }
        bool topDown = height < 0;
        if (height == int.MinValue) throw new ImageFormatException(name, "invalid BMP height.");
        height = Math.Abs(height);
        ImageDecoder.CheckDimensions(width, height, name, options, "BMP");
        if (bpp is not (1 or 4 or 8 or 16 or 24 or 32)) throw new ImageFormatException(name, $"unsupported BMP bit count {bpp}.");
        if (compression is not (BiRgb or BiBitfields or BiAlphaBitfields))
        {
            string what = compression switch { 1 => "RLE8", 2 => "RLE4", 4 => "embedded JPEG", 5 => "embedded PNG", _ => $"method {compression}" };
            throw new ImageFormatException(name, $"BMP compression {what} is not supported (only uncompressed BI_RGB and BI_BITFIELDS).");
        }

        // Channel masks: from the V2+ header, or the 12 bytes after a 40-byte header, or the BI_RGB defaults.
        uint rMask = 0, gMask = 0, bMask = 0, aMask = 0;
        int paletteStart = 14 + headerSize;
        if (compression is BiBitfields or BiAlphaBitfields)
        {
            if (bpp is not (16 or 32)) throw new ImageFormatException(name, $"BMP bit fields with {bpp} bits per pixel are invalid.");
            ReadOnlySpan<byte> m = headerSize >= 52 ? h[40..] : data.Length >= paletteStart + 16 ? data[paletteStart..] : throw new ImageFormatException(name, "the BMP file is truncated in its colour masks.");
            rMask = BinaryPrimitives.ReadUInt32LittleEndian(m);
            gMask = BinaryPrimitives.ReadUInt32LittleEndian(m[4..]);
            bMask = BinaryPrimitives.ReadUInt32LittleEndian(m[8..]);
            if (headerSize >= 56 || compression == BiAlphaBitfields) aMask = BinaryPrimitives.ReadUInt32LittleEndian(m[12..]);
            if (headerSize == 40) paletteStart += compression == BiAlphaBitfields ? 16 : 12;
        }
        else if (bpp == 16)
        {
            (rMask, gMask, bMask) = (0x7C00, 0x03E0, 0x001F);
        }
        else if (bpp == 32)
        {
            (rMask, gMask, bMask) = (0x00FF0000, 0x0000FF00, 0x000000FF);
        }

        byte[]? palette = null;
        if (bpp <= 8)
        {
            int entries = colorsUsed > 0 && colorsUsed <= (1 << bpp) ? colorsUsed : 1 << bpp;
            int entrySize = headerSize == 12 ? 3 : 4;
            int available = (int)Math.Min(entries, Math.Max(0, ((long)Math.Min(pixelOffset, (uint)data.Length) - paletteStart) / entrySize));
            if (available <= 0) throw new ImageFormatException(name, "the BMP palette is missing.");
            palette = new byte[256 * 3];
            for (int i = 0; i < available; i++)
            {
                int at = paletteStart + i * entrySize;
                palette[i * 3] = data[at + 2];
                palette[i * 3 + 1] = data[at + 1];
                palette[i * 3 + 2] = data[at];
            }
        }

        long stride = ((long)bpp * width + 31) / 32 * 4;
        long need = pixelOffset + stride * height;
        if (pixelOffset < 14 + headerSize || need > data.Length)
        {
            throw new ImageFormatException(name, $"the BMP file is truncated: pixel data needs {need} bytes but the file has {data.Length}.");
        }

        var mode = aMask != 0 ? ColorMode.Rgba : ColorMode.Rgb;
        var image = new Image(width, height, mode);
        int oc = (int)mode;
        var (rs, rm) = Field(rMask);
        var (gs, gm) = Field(gMask);
        var (bs, bm) = Field(bMask);
        var (als, am) = Field(aMask);
        for (int row = 0; row < height; row++)
        {
            int y = topDown ? row : height - 1 - row;
            var src = data.Slice((int)(pixelOffset + stride * row), (int)stride);
            var dst = image.Pixels.AsSpan(y * width * oc, width * oc);
            switch (bpp)
            {
                case 24:
                    for (int x = 0; x < width; x++)
                    {
                        dst[x * 3] = src[x * 3 + 2];
                        dst[x * 3 + 1] = src[x * 3 + 1];
                        dst[x * 3 + 2] = src[x * 3];
                    }
                    break;
                case 16:
                case 32:
                    for (int x = 0; x < width; x++)
                    {
                        uint p = bpp == 16 ? BinaryPrimitives.ReadUInt16LittleEndian(src[(x * 2)..]) : BinaryPrimitives.ReadUInt32LittleEndian(src[(x * 4)..]);
                        dst[x * oc] = Extract(p, rMask, rs, rm);
                        dst[x * oc + 1] = Extract(p, gMask, gs, gm);
                        dst[x * oc + 2] = Extract(p, bMask, bs, bm);
                        if (oc == 4) dst[x * oc + 3] = Extract(p, aMask, als, am);
                    }
                    break;
                default:
                    int perByte = 8 / bpp, maskBits = (1 << bpp) - 1;
                    for (int x = 0; x < width; x++)
                    {
                        int index = (src[x / perByte] >> (8 - bpp * (x % perByte + 1))) & maskBits;
                        dst[x * 3] = palette![index * 3];
                        dst[x * 3 + 1] = palette[index * 3 + 1];
                        dst[x * 3 + 2] = palette[index * 3 + 2];
                    }
                    break;
            }
        }
        return image;
    }

    private static (int Shift, uint Max) Field(uint mask)
    {
        if (mask == 0) return (0, 0);
        int shift = BitOperations.TrailingZeroCount(mask);
        return (shift, mask >> shift);
    }

    // Scales an n-bit field to 8 bits with truncating division, as PIL's BGR;15/BGR;16 unpackers do.
    private static byte Extract(uint pixel, uint mask, int shift, uint max)
    {
        if (max == 0) return 0;
        uint v = (pixel & mask) >> shift;
        return max == 255 ? (byte)v : (byte)(v * 255 / max);
    }
}
