using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MLNet.Nets.Tests.Vision.Imaging;

/// <summary>
/// A small independent PNG encoder for the tests: any colour type and bit depth, Adam7, every filter type (chosen per
/// row in rotation), image data split across several IDAT chunks.
/// </summary>
internal static class TestPngWriter
{
    private static readonly int[][] Adam7 =
    [
        [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
    ];

    /// <param name="samples">Samples per pixel-channel, row-major, at the given bit depth (palette indices for type 3).</param>
    public static byte[] Encode(int width, int height, int colorType, int bitDepth, int[] samples, byte[]? plte = null, byte[]? trns = null,
        bool interlace = false, int idatChunks = 3, int firstFilter = 0)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bitsPerPixel = channels * bitDepth, bpp = Math.Max(1, bitsPerPixel / 8);
        var raw = new MemoryStream();
        int filter = firstFilter;
        var passes = interlace ? Adam7 : [[0, 0, 1, 1]];
        foreach (var p in passes)
        {
            int pw = (width - p[0] + p[2] - 1) / p[2], ph = (height - p[1] + p[3] - 1) / p[3];
            if (pw <= 0 || ph <= 0) continue;
            int rowBytes = (pw * bitsPerPixel + 7) / 8;
            var prior = new byte[rowBytes];
            for (int r = 0; r < ph; r++)
            {
                var line = new byte[rowBytes];
                int y = p[1] + r * p[3];
                for (int i = 0; i < pw; i++)
                {
                    int x = p[0] + i * p[2];
                    for (int c = 0; c < channels; c++)
                    {
                        int v = samples[(y * width + x) * channels + c];
                        int bit = (i * channels + c) * bitDepth;
                        if (bitDepth == 16) { line[bit / 8] = (byte)(v >> 8); line[bit / 8 + 1] = (byte)v; }
                        else if (bitDepth == 8) line[bit / 8] = (byte)v;
                        else line[bit / 8] |= (byte)(v << (8 - bitDepth - bit % 8));
                    }
                }
                raw.WriteByte((byte)filter);
                raw.Write(Filter(filter, line, prior, bpp));
                prior = line;
                filter = (filter + 1) % 5;
            }
        }
        byte[] compressed;
        using (var ms = new MemoryStream())
        {
            using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
            compressed = ms.ToArray();
        }
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth; ihdr[9] = (byte)colorType; ihdr[12] = (byte)(interlace ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0ancillary chunk the decoder must skip"));
        if (plte is not null) Chunk(png, "PLTE", plte);
        if (trns is not null) Chunk(png, "tRNS", trns);
        int per = Math.Max(1, (compressed.Length + idatChunks - 1) / idatChunks);
        for (int o = 0; o < compressed.Length; o += per) Chunk(png, "IDAT", compressed.AsSpan(o, Math.Min(per, compressed.Length - o)).ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Filter(int type, byte[] line, byte[] prior, int bpp)
    {
        var o = new byte[line.Length];
        for (int i = 0; i < line.Length; i++)
        {
            int a = i >= bpp ? line[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
            int pred = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => Paeth(a, b, c),
            };
            o[i] = (byte)(line[i] - pred);
        }
        return o;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var td = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type).CopyTo(td, 0);
        data.CopyTo(td, 4);
        s.Write(td);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc(td));
        s.Write(len);
    }

    private static uint Crc(byte[] bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }
}
