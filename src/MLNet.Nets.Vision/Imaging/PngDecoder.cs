using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// PNG in managed code: colour types 0, 2, 3, 4, 6 at every legal bit depth, PLTE/tRNS, Adam7, all five filters,
/// split IDAT, zlib through <see cref="ZLibStream"/>, optional CRC checking.
/// </summary>
internal static class PngDecoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    // Adam7 passes: x start, y start, x step, y step.
    private static readonly int[][] Adam7 =
    [
        [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
    ];

    public static Image Decode(ReadOnlySpan<byte> data, string name, ImageDecoderOptions options)
    {
        int pos = 8;
        int width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = 0;
        bool sawHeader = false, sawEnd = false;
        byte[]? palette = null;
        byte[]? trns = null;
        var idat = new MemoryStream();
        while (!sawEnd)
        {
            if (pos + 8 > data.Length)
            {
                throw new ImageFormatException(name, sawHeader ? "the PNG file is truncated (no IEND chunk)." : "the PNG file is truncated before its IHDR chunk.");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            string typeName = ChunkName(type);
            if (length > int.MaxValue || pos + 12L + length > data.Length)
            {
                throw new ImageFormatException(name, $"the PNG file is truncated inside chunk '{typeName}' at byte {pos} (needs {length} data bytes).");
            }
            var body = data.Slice(pos + 8, (int)length);
            if (options.CheckCrc)
            {
                uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
                uint actual = Crc(data.Slice(pos + 4, 4 + (int)length));
                if (stored != actual)
                {
                    throw new ImageFormatException(name, $"CRC mismatch in PNG chunk '{typeName}' at byte {pos} (stored {stored:X8}, computed {actual:X8}).");
                }
            }
            if (!sawHeader && typeName != "IHDR") throw new ImageFormatException(name, $"the first PNG chunk is '{typeName}', not IHDR.");
            switch (typeName)
            {
                case "IHDR":
                    if (sawHeader) throw new ImageFormatException(name, "the PNG file has two IHDR chunks.");
                    if (length != 13) throw new ImageFormatException(name, $"the PNG IHDR chunk has {length} bytes, not 13.");
                    sawHeader = true;
                    uint w = BinaryPrimitives.ReadUInt32BigEndian(body), h = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) throw new ImageFormatException(name, $"invalid PNG size {w}×{h}.");
                    width = (int)w; height = (int)h;
                    bitDepth = body[8]; colorType = body[9]; interlace = body[12];
                    bool ok = colorType switch
                    {
                        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
                        3 => bitDepth is 1 or 2 or 4 or 8,
                        2 or 4 or 6 => bitDepth is 8 or 16,
                        _ => false,
                    };
                    if (!ok) throw new ImageFormatException(name, $"invalid PNG colour type {colorType} with bit depth {bitDepth}.");
                    if (body[10] != 0 || body[11] != 0) throw new ImageFormatException(name, $"unknown PNG compression method {body[10]} or filter method {body[11]}.");
                    if (interlace > 1) throw new ImageFormatException(name, $"unknown PNG interlace method {interlace}.");
                    ImageDecoder.CheckDimensions(width, height, name, options, "PNG");
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768) throw new ImageFormatException(name, $"invalid PNG palette length {length}.");
                    palette = body.ToArray();
                    break;
                case "tRNS":
                    trns = body.ToArray();
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    if ((type[0] & 0x20) == 0)
                    {
                        throw new ImageFormatException(name, $"unknown critical PNG chunk '{typeName}'.");
                    }
                    break;
            }
            pos += 12 + (int)length;
        }
        if (idat.Length == 0) throw new ImageFormatException(name, "the PNG file has no IDAT (image data) chunk.");
        if (colorType == 3 && palette is null) throw new ImageFormatException(name, "the palette PNG has no PLTE chunk.");

        int samples = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bitsPerPixel = samples * bitDepth;
        int bpp = Math.Max(1, bitsPerPixel / 8);

        // Raw size of the filtered stream: per pass, rows × (filter byte + packed row bytes).
        long rawSize = 0;
        foreach (var (pw, ph) in Passes(width, height, interlace))
        {
            if (pw > 0 && ph > 0) rawSize += (long)ph * (1 + ((long)pw * bitsPerPixel + 7) / 8);
        }
        if (rawSize > Array.MaxLength) throw new ImageFormatException(name, "the PNG image is too large.");
        var raw = new byte[rawSize];
        idat.Position = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            int read = 0;
            while (read < raw.Length)
            {
                int n = z.Read(raw, read, raw.Length - read);
                if (n == 0) break;
                read += n;
            }
            if (read < raw.Length)
            {
                throw new ImageFormatException(name, $"the PNG image data is truncated ({read} of {raw.Length} bytes after decompression).");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(name, $"corrupt PNG zlib data ({e.Message}).", e);
        }

        var mode = OutputMode(colorType, trns);
        var pixelMap = new PixelWriter(colorType, bitDepth, palette, trns, mode, width, name);
        var image = new Image(width, height, mode);
        int offset = 0;
        int passIndex = 0;
        byte[]? previous = null, current = null;
        foreach (var (pw, ph) in Passes(width, height, interlace))
        {
            var p = interlace == 1 ? Adam7[passIndex] : [0, 0, 1, 1];
            passIndex++;
            if (pw == 0 || ph == 0) continue;
            int rowBytes = (int)(((long)pw * bitsPerPixel + 7) / 8);
            if (previous is null || previous.Length < rowBytes)
            {
                previous = new byte[rowBytes];
                current = new byte[rowBytes];
            }
            Array.Clear(previous, 0, rowBytes);
            for (int r = 0; r < ph; r++)
            {
                byte filter = raw[offset];
                var line = current.AsSpan(0, rowBytes);
                raw.AsSpan(offset + 1, rowBytes).CopyTo(line);
                Unfilter(filter, line, previous.AsSpan(0, rowBytes), bpp, name, p[1] + r * p[3]);
                pixelMap.Write(line, image, p[1] + r * p[3], p[0], p[2], pw);
                (previous, current) = (current, previous);
                offset += 1 + rowBytes;
            }
        }
        return image;
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++) c[i] = type[i] is >= 32 and < 127 ? (char)type[i] : '?';
        return new string(c);
    }

    private static ColorMode OutputMode(int colorType, byte[]? trns) => colorType switch
    {
        0 => trns is null ? ColorMode.Gray : ColorMode.GrayAlpha,
        4 => ColorMode.GrayAlpha,
        6 => ColorMode.Rgba,
        _ => trns is null ? ColorMode.Rgb : ColorMode.Rgba,
    };

    private static IEnumerable<(int Width, int Height)> Passes(int width, int height, int interlace)
    {
        if (interlace == 0)
        {
            yield return (width, height);
            yield break;
        }
        foreach (var p in Adam7)
        {
            yield return ((width - p[0] + p[2] - 1) / p[2], (height - p[1] + p[3] - 1) / p[3]);
        }
    }

    private static void Unfilter(byte filter, Span<byte> line, ReadOnlySpan<byte> prior, int bpp, string name, int y)
    {
        int n = line.Length;
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < n; i++) line[i] += line[i - bpp];
                break;
            case 2:
                for (int i = 0; i < n; i++) line[i] += prior[i];
                break;
            case 3:
                for (int i = 0; i < bpp && i < n; i++) line[i] += (byte)(prior[i] >> 1);
                for (int i = bpp; i < n; i++) line[i] += (byte)((line[i - bpp] + prior[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < bpp && i < n; i++) line[i] += prior[i];
                for (int i = bpp; i < n; i++)
                {
                    int a = line[i - bpp], b = prior[i], c = prior[i - bpp];
                    int p = a + b - c;
                    int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    line[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                break;
            default:
                throw new ImageFormatException(name, $"invalid PNG filter type {filter} on row {y}.");
        }
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    internal static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>Expands one unfiltered row (any colour type / depth) into 8-bit output pixels.</summary>
    private sealed class PixelWriter
    {
        private readonly int _colorType, _bitDepth, _outChannels, _width;
        private readonly byte[]? _palette;   // RGBA entries, 4 bytes each, for colour type 3
        private readonly int _paletteCount;
        private readonly int _trnsGray = -1, _trnsR = -1, _trnsG = -1, _trnsB = -1;
        private readonly string _name;

        public PixelWriter(int colorType, int bitDepth, byte[]? plte, byte[]? trns, ColorMode mode, int width, string name)
        {
            _colorType = colorType;
            _bitDepth = bitDepth;
            _outChannels = (int)mode;
            _width = width;
            _name = name;
            if (colorType == 3 && plte is not null)
            {
                _paletteCount = plte.Length / 3;
                _palette = new byte[256 * 4];
                for (int i = 0; i < _paletteCount; i++)
                {
                    _palette[i * 4] = plte[i * 3];
                    _palette[i * 4 + 1] = plte[i * 3 + 1];
                    _palette[i * 4 + 2] = plte[i * 3 + 2];
                    _palette[i * 4 + 3] = trns is not null && i < trns.Length ? trns[i] : (byte)255;
                }
            }
            else if (trns is not null && colorType == 0 && trns.Length >= 2)
            {
                _trnsGray = (trns[0] << 8) | trns[1];
            }
            else if (trns is not null && colorType == 2 && trns.Length >= 6)
            {
                _trnsR = (trns[0] << 8) | trns[1];
                _trnsG = (trns[2] << 8) | trns[3];
                _trnsB = (trns[4] << 8) | trns[5];
            }
        }

        private static byte Scale16(int v) => (byte)((v * 255 + 32895) >> 16);

        public void Write(ReadOnlySpan<byte> line, Image image, int y, int x0, int dx, int count)
        {
            var dst = image.Pixels.AsSpan(y * _width * _outChannels);
            int oc = _outChannels;
            if (dx == 1 && _bitDepth == 8 && _colorType is 0 or 2 or 4 or 6 && _trnsGray < 0 && _trnsR < 0)
            {
                line[..(count * oc)].CopyTo(dst);
                return;
            }
            for (int i = 0; i < count; i++)
            {
                int o = (x0 + i * dx) * oc;
                switch (_colorType)
                {
                    case 0:
                    {
                        int raw = Sample(line, i);
                        dst[o] = _bitDepth switch { 16 => Scale16(raw), 8 => (byte)raw, _ => (byte)(raw * 255 / ((1 << _bitDepth) - 1)) };
                        if (oc == 2) dst[o + 1] = raw == _trnsGray ? (byte)0 : (byte)255;
                        break;
                    }
                    case 3:
                    {
                        int index = Sample(line, i);
                        if (index >= _paletteCount)
                        {
                            throw new ImageFormatException(_name, $"PNG palette index {index} at ({x0 + i * dx}, {y}) is outside the {_paletteCount}-entry palette.");
                        }
                        dst[o] = _palette![index * 4];
                        dst[o + 1] = _palette[index * 4 + 1];
                        dst[o + 2] = _palette[index * 4 + 2];
                        if (oc == 4) dst[o + 3] = _palette[index * 4 + 3];
                        break;
                    }
                    case 2:
                    {
                        int r, g, b;
                        if (_bitDepth == 8) { r = line[i * 3]; g = line[i * 3 + 1]; b = line[i * 3 + 2]; }
                        else { r = U16(line, i * 6); g = U16(line, i * 6 + 2); b = U16(line, i * 6 + 4); }
                        if (_bitDepth == 8) { dst[o] = (byte)r; dst[o + 1] = (byte)g; dst[o + 2] = (byte)b; }
                        else { dst[o] = Scale16(r); dst[o + 1] = Scale16(g); dst[o + 2] = Scale16(b); }
                        if (oc == 4) dst[o + 3] = r == _trnsR && g == _trnsG && b == _trnsB ? (byte)0 : (byte)255;
                        break;
                    }
                    default:
                    {
                        int n = _colorType == 4 ? 2 : 4;
                        for (int c = 0; c < n; c++)
                        {
                            dst[o + c] = _bitDepth == 8 ? line[i * n + c] : Scale16(U16(line, (i * n + c) * 2));
                        }
                        break;
                    }
                }
            }
        }

        private static int U16(ReadOnlySpan<byte> line, int at) => (line[at] << 8) | line[at + 1];

        private int Sample(ReadOnlySpan<byte> line, int i)
        {
            switch (_bitDepth)
            {
                case 8: return line[i];
                case 16: return U16(line, i * 2);
                default:
                    int bit = i * _bitDepth;
                    int shift = 8 - _bitDepth - (bit & 7);
                    return (line[bit >> 3] >> shift) & ((1 << _bitDepth) - 1);
            }
        }
    }
}
