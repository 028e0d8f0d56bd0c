using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Serialization;

/// <summary>
/// numpy's <c>.npy</c> format (versions 1–3) for float tensors: what <c>numpy.save</c> writes and <c>numpy.load</c> reads.
/// </summary>
/// <remarks>
/// Reading accepts little-endian float32 (<c>&lt;f4</c>) and float64 (<c>&lt;f8</c>, converted to float) in C order;
/// Fortran order, other dtypes, object arrays and pickles are refused with an error naming the file. Writing produces
/// version 1.0 float32 in C order, atomically (temp file + rename).
/// </remarks>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Largest header accepted, in bytes (numpy itself writes a few hundred).</summary>
    public const int MaxHeaderBytes = 1 << 16;

    /// <summary>Reads a float tensor from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not an .npy file, an unsupported dtype or order, or a truncated file.</exception>
    public static Tensor Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a float tensor from <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    public static Tensor Read(Stream stream, string name = "<stream>")
    {
        Span<byte> prefix = stackalloc byte[10];
        ReadExactly(stream, prefix, name, "the header");
        if (!prefix[..6].SequenceEqual(Magic)) throw new InvalidDataException($"{name}: not a .npy file (bad magic bytes).");
        byte major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        }
        else if (major is 2 or 3)
        {
            Span<byte> more = stackalloc byte[2];
            ReadExactly(stream, more, name, "the header");
            uint length = BinaryPrimitives.ReadUInt32LittleEndian([prefix[8], prefix[9], more[0], more[1]]);
            headerLength = length > MaxHeaderBytes ? -1 : (int)length;
        }
        else
        {
            throw new InvalidDataException($"{name}: .npy format version {major} is not supported (1–3 are).");
        }
        if (headerLength < 0 || headerLength > MaxHeaderBytes) throw new InvalidDataException($"{name}: the .npy header is too large.");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, name, "the header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        string descr = Field(header, "descr", name);
        string order = Field(header, "fortran_order", name);
        string shapeText = Field(header, "shape", name);
        if (order != "False") throw new InvalidDataException($"{name}: Fortran-ordered arrays are not supported; save with C order.");
        int elementSize = descr switch
        {
            "<f4" or "|f4" => 4,
            "<f8" => 8,
            _ => throw new InvalidDataException($"{name}: dtype '{descr}' is not supported; use float32 ('<f4') or float64 ('<f8')."),
        };
        int[] shape = ParseShape(shapeText, name);
        var tensor = new Tensor(shape);
        var span = tensor.Span;
        var buffer = new byte[Math.Min((long)span.Length * elementSize, 1 << 20)];
        int done = 0;
        while (done < span.Length)
        {
            int count = Math.Min(span.Length - done, buffer.Length / elementSize);
            var chunk = buffer.AsSpan(0, count * elementSize);
            ReadExactly(stream, chunk, name, "the data");
            for (int i = 0; i < count; i++)
            {
                span[done + i] = elementSize == 4
                    ? BinaryPrimitives.ReadSingleLittleEndian(chunk[(i * 4)..])
                    : (float)BinaryPrimitives.ReadDoubleLittleEndian(chunk[(i * 8)..]);
            }
            done += count;
        }
        return tensor;
    }

    /// <summary>Writes <paramref name="tensor"/> as a version 1.0 float32 C-order .npy file, atomically.</summary>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, stream => Write(stream, tensor));
    }

    /// <summary>Writes <paramref name="tensor"/> as a version 1.0 float32 C-order .npy stream.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.Shape;
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // numpy pads the header with spaces so that the data starts at a multiple of 64 bytes, ending in '\n'.
        int total = Magic.Length + 4 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var span = tensor.Span;
        var buffer = new byte[Math.Min(span.Length * 4, 1 << 20)];
        for (int done = 0; done < span.Length;)
        {
            int count = Math.Min(span.Length - done, buffer.Length / 4);
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), span[done + i]);
            stream.Write(buffer, 0, count * 4);
            done += count;
        }
    }

    private static string Field(string header, string key, string name)
    {
        var match = Regex.Match(header, $"'{key}'\\s*:\\s*('([^']*)'|\\(([^)]*)\\)|(True|False))");
        if (!match.Success) throw new InvalidDataException($"{name}: the .npy header has no '{key}'.");
        return match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Value;
    }

    private static int[] ParseShape(string text, string name)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        long volume = 1;
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new InvalidDataException($"{name}: the .npy shape '({text})' is not a tuple of sizes.");
            }
            volume *= shape[i];
            if (volume > Array.MaxLength) throw new InvalidDataException($"{name}: the .npy shape '({text})' is too large.");
        }
        return shape;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}: the file ends inside {what} (truncated .npy).");
        }
    }
}
