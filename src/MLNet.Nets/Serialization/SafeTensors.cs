using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Serialization;

/// <summary>
/// Reads and writes named tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
/// an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces to a multiple of 8 bytes), then
/// the raw little-endian tensor data, each tensor a contiguous row-major byte range given by its
/// <c>data_offsets</c> relative to the start of the data section.
/// </summary>
/// <remarks>
/// <para>Writing stores every tensor as <c>F32</c>, in the order given, with an optional <c>__metadata__</c> string map.
/// Reading accepts <c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>F64</c>, <c>I64</c>, <c>I32</c>, <c>I16</c>, <c>I8</c>,
/// <c>U8</c>, <c>U16</c>, <c>U32</c>, <c>U64</c> and <c>BOOL</c> and converts each value to <see cref="float"/>
/// (integers above 2^24 in magnitude lose precision; the stored dtype is reported in
/// <see cref="SafeTensorsContent.DTypes"/>).</para>
/// <para>Reading is bounded and strict, as the reference implementation is: the header may be at most
/// <see cref="MaxHeaderBytes"/>, must start with <c>{</c>, must not repeat a name; every tensor's byte range must
/// equal its shape's volume times the dtype size; the ranges must tile the data section exactly (start at 0, no gap,
/// no overlap, nothing after the last tensor). A violation throws <see cref="InvalidDataException"/> naming the
/// source and the tensor.</para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest JSON header accepted by a read, in bytes (100 MB, the reference limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The reserved header key of the free-form string map.</summary>
    public const string MetadataKey = "__metadata__";

    private const int ChunkBytes = 1 << 20;

    /// <summary>Writes <paramref name="tensors"/> as <c>F32</c> in safetensors format to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream; it is left open, positioned after the last tensor.</param>
    /// <param name="tensors">Name → tensor pairs, written in this order. Names must be non-empty, distinct and not
    /// <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional string map stored as <c>__metadata__</c>; omitted when null or empty.</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or reserved, or a tensor is null.</exception>
    public static void Write(
        Stream stream,
        IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        byte[] header = BuildHeader(list, metadata);

        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)header.Length);
        stream.Write(lengthBytes);
        stream.Write(header);
        foreach (var (_, tensor) in list)
        {
            WriteFloats(stream, tensor.Span);
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to the file <paramref name="path"/> atomically: the data goes to a temporary
    /// file in the same folder, which is flushed to disk and then renamed over <paramref name="path"/>, so a failure
    /// never leaves a partial file or destroys an earlier one.
    /// </summary>
    /// <param name="path">The destination file; its folder must exist.</param>
    /// <param name="tensors">Name → tensor pairs, written in this order (see <see cref="Write(Stream, IEnumerable{KeyValuePair{string, Tensor}}, IReadOnlyDictionary{string, string}?)"/>).</param>
    /// <param name="metadata">Optional string map stored as <c>__metadata__</c>.</param>
    public static void Write(
        string path,
        IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(file, tensors, metadata);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Reads a safetensors file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The tensors (converted to <see cref="float"/>), their stored dtypes and the metadata.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, malformed or inconsistent; the message names
    /// the file and the tensor.</exception>
    public static SafeTensorsContent Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(file, path);
    }

    /// <summary>Reads safetensors data from <paramref name="stream"/>, from its current position to its end.</summary>
    /// <param name="stream">A readable stream. When it is seekable its length is checked against the header before
    /// any tensor is allocated; otherwise truncation is detected while reading.</param>
    /// <param name="sourceName">Names the source in error messages (for example the file path); default "stream".</param>
    /// <returns>The tensors (converted to <see cref="float"/>), their stored dtypes and the metadata.</returns>
    /// <exception cref="InvalidDataException">The data is truncated, malformed or inconsistent; the message names
    /// the source and the tensor.</exception>
    public static SafeTensorsContent Read(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = $"safetensors {(sourceName is null ? "stream" : $"file '{sourceName}'")}";
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;

        Span<byte> lengthBytes = stackalloc byte[8];
        int got = ReadUpTo(stream, lengthBytes);
        if (got < 8)
        {
            throw new InvalidDataException(
                $"{source} is too short: {got} bytes, but the format starts with an 8-byte header length.");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException(
                $"{source}: header length {headerLength} bytes exceeds the limit of {MaxHeaderBytes} bytes (not a safetensors file, or corrupt).");
        }
        if (headerLength < 2)
        {
            throw new InvalidDataException($"{source}: header length {headerLength} is too small to hold a JSON object.");
        }
        if (available is long total && (long)headerLength > total - 8)
        {
            throw new InvalidDataException(
                $"{source} is truncated: the header needs {headerLength} bytes but only {total - 8} follow the length field.");
        }

        var headerBytes = new byte[headerLength];
        got = ReadUpTo(stream, headerBytes);
        if (got < headerBytes.Length)
        {
            throw new InvalidDataException(
                $"{source} is truncated: the header needs {headerLength} bytes but the stream ended after {got}.");
        }
        var (entries, metadata) = ParseHeader(headerBytes, source);
        long dataLength = CheckLayout(entries, source, available is long t ? t - 8 - (long)headerLength : null);

        var ordered = entries.OrderBy(e => e.Start).ThenBy(e => e.End).ToList();
        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var entry in ordered)
            {
                tensors[entry.Name] = ReadTensor(stream, entry, chunk, source);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        if (!stream.CanSeek && stream.ReadByte() != -1)
        {
            throw new InvalidDataException(
                $"{source}: bytes follow the last tensor; the tensors cover only {dataLength} bytes of the data section.");
        }

        var result = new OrderedDictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        var dtypes = new Dictionary<string, string>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            result.Add(entry.Name, tensors[entry.Name]);
            dtypes.Add(entry.Name, entry.DType);
        }
        return new SafeTensorsContent(result, dtypes, metadata);
    }

    private sealed record Entry(string Name, string DType, int ElementSize, int[] Shape, int Volume, long Start, long End);

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    ArgumentNullException.ThrowIfNull(key, nameof(metadata));
                    json.WriteString(key, value ?? throw new ArgumentException($"Metadata value for '{key}' is null.", nameof(metadata)));
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name)) throw new ArgumentException("A tensor name is null or empty.", nameof(tensors));
                if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                if (!names.Add(name)) throw new ArgumentException($"Tensor name '{name}' appears more than once.", nameof(tensors));
                if (tensor is null) throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
                long bytes = 4L * tensor.Length;
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // The reference writer pads the header with spaces so the data section starts 8-byte aligned.
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static (List<Entry> Entries, IReadOnlyDictionary<string, string> Metadata) ParseHeader(byte[] headerBytes, string source)
    {
        if (headerBytes[0] != (byte)'{')
        {
            throw new InvalidDataException($"{source}: the header does not start with '{{' (not a safetensors file, or corrupt).");
        }
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
        {
            throw new InvalidDataException($"{source}: the header is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the header is not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: the header is not a JSON object.");
            }
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                string name = property.Name;
                if (!seen.Add(name))
                {
                    throw new InvalidDataException($"{source}: the header names '{name}' more than once.");
                }
                if (name == MetadataKey)
                {
                    ParseMetadata(property.Value, metadata, source);
                    continue;
                }
                entries.Add(ParseEntry(name, property.Value, source));
            }
            return (entries, metadata);
        }
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: '{MetadataKey}' must be an object of strings but is {value.ValueKind}.");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException(
                    $"{source}: '{MetadataKey}' entry '{item.Name}' must be a string but is {item.Value.ValueKind}.");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new InvalidDataException($"{source}: '{MetadataKey}' names '{item.Name}' more than once.");
            }
        }
    }

    private static Entry ParseEntry(string name, JsonElement value, string source)
    {
        string where = $"{source}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} must be described by an object but is {value.ValueKind}.");
        }
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{where} has no string 'dtype'.");
        }
        string dtype = dtypeElement.GetString()!;
        int elementSize = ElementSize(dtype)
            ?? throw new InvalidDataException($"{where} has unsupported dtype '{dtype}' (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U64, U32, U16, U8, BOOL).");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{where} has no 'shape' array.");
        }
        var shape = new int[shapeElement.GetArrayLength()];
        long volume = 1;
        int axis = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long size) || size < 0)
            {
                throw new InvalidDataException($"{where}: shape dimension {axis} is not a non-negative integer ({d.GetRawText()}).");
            }
            if (size > Array.MaxLength || (volume *= size) > Array.MaxLength)
            {
                throw new InvalidDataException($"{where}: shape {shapeElement.GetRawText()} has more elements than a tensor can hold ({Array.MaxLength}).");
            }
            shape[axis++] = (int)size;
        }

        if (!value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{where} has no 'data_offsets' array of two integers.");
        }
        if (!offsetsElement[0].TryGetInt64(out long start) || !offsetsElement[1].TryGetInt64(out long end) || start < 0 || end < start)
        {
            throw new InvalidDataException($"{where}: data_offsets {offsetsElement.GetRawText()} are not integers 0 ≤ begin ≤ end.");
        }
        long needed = volume * elementSize;
        if (end - start != needed)
        {
            throw new InvalidDataException(
                $"{where}: shape {Tensor.FormatShape(shape)} of {dtype} needs {needed} bytes but data_offsets [{start}, {end}] hold {end - start}.");
        }
        return new Entry(name, dtype, elementSize, shape, (int)volume, start, end);
    }

    private static long CheckLayout(List<Entry> entries, string source, long? dataLength)
    {
        long position = 0;
        Entry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            if (entry.Start < position)
            {
                throw new InvalidDataException(
                    $"{source}: tensor '{entry.Name}' (bytes [{entry.Start}, {entry.End})) overlaps tensor '{previous!.Name}' (bytes [{previous.Start}, {previous.End})).");
            }
            if (entry.Start > position)
            {
                throw new InvalidDataException(
                    $"{source}: tensor '{entry.Name}' starts at byte {entry.Start} but the previous tensor{(previous is null ? "s end" : $" '{previous.Name}' ends")} at {position}; the data must be contiguous.");
            }
            position = entry.End;
            previous = entry;
        }
        if (dataLength is long length)
        {
            if (position > length)
            {
                var cut = entries.First(e => e.End > length);
                throw new InvalidDataException(
                    $"{source} is truncated: tensor '{cut.Name}' needs data bytes [{cut.Start}, {cut.End}) but the data section has only {length} bytes.");
            }
            if (position < length)
            {
                throw new InvalidDataException(
                    $"{source}: the data section has {length} bytes but the tensors cover only {position}; the header and data disagree.");
            }
        }
        return position;
    }

    private static Tensor ReadTensor(Stream stream, Entry entry, byte[] chunk, string source)
    {
        var tensor = new Tensor(entry.Shape);
        var destination = tensor.Span;
        if (entry.DType == "F32" && BitConverter.IsLittleEndian)
        {
            var bytes = MemoryMarshal.AsBytes(destination);
            int got = ReadUpTo(stream, bytes);
            if (got < bytes.Length) ThrowTruncated(entry, got, source);
            return tensor;
        }
        int perChunk = chunk.Length / entry.ElementSize;
        long readBytes = 0;
        for (int done = 0; done < entry.Volume; done += perChunk)
        {
            int count = Math.Min(perChunk, entry.Volume - done);
            var bytes = chunk.AsSpan(0, count * entry.ElementSize);
            int got = ReadUpTo(stream, bytes);
            if (got < bytes.Length) ThrowTruncated(entry, readBytes + got, source);
            readBytes += got;
            Convert(entry.DType, bytes, destination.Slice(done, count));
        }
        return tensor;
    }

    private static void Convert(string dtype, ReadOnlySpan<byte> src, Span<float> dst)
    {
        switch (dtype)
        {
            case "F32":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                break;
            case "F16":
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]);
                break;
            case "BF16":
                // bfloat16 is the upper half of a float32.
                for (int i = 0; i < dst.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16);
                break;
            case "F64":
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                break;
            case "I64":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]);
                break;
            case "U64":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadUInt64LittleEndian(src[(8 * i)..]);
                break;
            case "I32":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]);
                break;
            case "U32":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * i)..]);
                break;
            case "I16":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]);
                break;
            case "U16":
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]);
                break;
            case "I8":
                for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)src[i];
                break;
            case "U8":
                for (int i = 0; i < dst.Length; i++) dst[i] = src[i];
                break;
            case "BOOL":
                for (int i = 0; i < dst.Length; i++) dst[i] = src[i] != 0 ? 1f : 0f;
                break;
            default:
                throw new InvalidOperationException($"Unhandled dtype '{dtype}'.");
        }
    }

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => null,
    };

    private static void WriteFloats(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int perChunk = chunk.Length / 4;
            for (int done = 0; done < values.Length; done += perChunk)
            {
                int count = Math.Min(perChunk, values.Length - done);
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(4 * i), values[done + i]);
                stream.Write(chunk, 0, 4 * count);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static void ThrowTruncated(Entry entry, long got, string source) =>
        throw new InvalidDataException(
            $"{source} is truncated: tensor '{entry.Name}' needs {entry.End - entry.Start} bytes but the stream ended after {got}.");

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
