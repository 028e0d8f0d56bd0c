using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNet.Nets.Datasets;

/// <summary>
/// Reads IDX files (the MNIST format), plain or gzip-compressed (detected from the content): a big-endian magic of two
/// zero bytes, a type byte (0x08 = unsigned byte) and a dimension count, then one big-endian int32 per dimension, then
/// the data.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an unsigned-byte IDX file.</summary>
    /// <param name="path">The file (<c>.gz</c> or not).</param>
    /// <param name="expectedRank">When given, the number of dimensions the caller needs (3 for images, 1 for labels).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Bad magic, an unsupported element type, a wrong rank, corrupt gzip data or a
    /// truncated file; the message names the file and what was expected.</exception>
    public static IdxFile Read(string path, int? expectedRank = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream stream = file;
        Span<byte> sniff = stackalloc byte[2];
        int sniffed = file.ReadAtLeast(sniff, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = sniffed == 2 && sniff[0] == 0x1f && sniff[1] == 0x8b;
        if (gzip) stream = new GZipStream(file, CompressionMode.Decompress);
        try
        {
            return Read(stream, path, expectedRank);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith("IDX file", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"IDX file '{path}' is not valid gzip data: {e.Message}", e);
        }
        finally
        {
            if (gzip) stream.Dispose();
        }
    }

    /// <summary>Reads an unsigned-byte IDX stream (already decompressed).</summary>
    /// <param name="stream">The stream, positioned at the magic number.</param>
    /// <param name="source">Names the source in error messages.</param>
    /// <param name="expectedRank">When given, the required number of dimensions.</param>
    public static IdxFile Read(Stream stream, string source, int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, source, "the 4-byte magic number");
        if (header[0] != 0 || header[1] != 0)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' has bad magic bytes {header[0]:X2} {header[1]:X2} {header[2]:X2} {header[3]:X2}; " +
                "an IDX file starts with 00 00, a type byte and a dimension count (e.g. 00 00 08 03 for MNIST images).");
        }
        if (header[2] != UnsignedByteType)
        {
            throw new InvalidDataException($"IDX file '{source}' has element type 0x{header[2]:X2}; only unsigned bytes (0x08) are supported.");
        }
        int rank = header[3];
        if (rank == 0) throw new InvalidDataException($"IDX file '{source}' declares 0 dimensions.");
        if (expectedRank is int r && rank != r)
        {
            throw new InvalidDataException($"IDX file '{source}' has {rank} dimension(s) but {r} were expected (magic 0x{2048 + rank:X8} instead of 0x{2048 + r:X8}).");
        }
        var shape = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        long volume = 1;
        for (int d = 0; d < rank; d++)
        {
            ReadExactly(stream, dim, source, $"the size of dimension {d}");
            int size = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (size < 0) throw new InvalidDataException($"IDX file '{source}' has a negative size {size} for dimension {d}.");
            shape[d] = size;
            volume *= size;
            if (volume > Array.MaxLength) throw new InvalidDataException($"IDX file '{source}' declares more than {Array.MaxLength} elements.");
        }
        var data = new byte[volume];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' is truncated: shape [{string.Join(", ", shape)}] needs {data.Length} data bytes but only {read} are present.");
        }
        return new IdxFile(shape, data);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length) throw new InvalidDataException($"IDX file '{source}' is truncated: it ends inside {what}.");
    }
}
