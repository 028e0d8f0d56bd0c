using System.Buffers.Binary;
using System.Text;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// The initializers (the stored weights) of an ONNX model, read straight from the protobuf wire format without an
/// ONNX runtime: <c>ModelProto.graph</c> (field 7) → <c>GraphProto.initializer</c> (field 5) → <c>TensorProto</c>.
/// </summary>
/// <remarks>
/// <para>Tensor data may be in <c>raw_data</c> (little-endian) or in the typed fields (<c>float_data</c>,
/// <c>int32_data</c>, <c>int64_data</c>, <c>double_data</c>, <c>uint64_data</c>), or in an external file
/// (<c>data_location = EXTERNAL</c>, with <c>location</c>/<c>offset</c>/<c>length</c>) that must lie inside the
/// model's folder. FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT8/16/32/64, UINT8/16/32/64 and BOOL are converted to
/// <see cref="float"/>; <see cref="DTypes"/> keeps the ONNX type name. Sparse initializers and string tensors are
/// rejected with an error naming the tensor.</para>
/// <para>Every length is checked against the bytes that remain, so a truncated or hostile file gives an
/// <see cref="InvalidDataException"/> naming the file and tensor rather than a crash or a huge allocation.</para>
/// </remarks>
public sealed class OnnxInitializers
{
    private const int MaxDepth = 4;

    private OnnxInitializers(OrderedDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> dtypes)
    {
        Tensors = tensors;
        DTypes = dtypes;
    }

    /// <summary>The initializers by name, in the file's order, converted to <see cref="float"/>.</summary>
    public OrderedDictionary<string, Tensor> Tensors { get; }

    /// <summary>The ONNX element type of each initializer (<c>FLOAT</c>, <c>FLOAT16</c>, <c>INT64</c>, …), by name.</summary>
    public IReadOnlyDictionary<string, string> DTypes { get; }

    /// <summary>Reads the initializers of an <c>.onnx</c> file (external data is looked up next to it).</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="InvalidDataException">The file is truncated or malformed; the message names the file and tensor.</exception>
    public static OnnxInitializers Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        byte[] bytes = File.ReadAllBytes(full);
        return Parse(bytes, $"ONNX file '{path}'", Path.GetDirectoryName(full));
    }

    /// <summary>Reads the initializers of an ONNX model from a stream.</summary>
    /// <param name="stream">The model bytes (read to the end).</param>
    /// <param name="sourceName">Names the source in error messages; default "stream".</param>
    /// <param name="externalDataDirectory">The folder that holds external tensor data; null forbids external data.</param>
    public static OnnxInitializers Load(Stream stream, string? sourceName = null, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray(), sourceName is null ? "ONNX stream" : $"ONNX file '{sourceName}'",
            externalDataDirectory is null ? null : Path.GetFullPath(externalDataDirectory));
    }

    private static OnnxInitializers Parse(byte[] bytes, string source, string? directory)
    {
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var dtypes = new Dictionary<string, string>(StringComparer.Ordinal);
        bool sawGraph = false;
        var model = new Reader(bytes, 0, bytes.Length, source, "model");
        while (model.Next(out int field, out int wire))
        {
            if (field == 7 && wire == 2)
            {
                sawGraph = true;
                var graph = model.Sub("graph");
                while (graph.Next(out int gField, out int gWire))
                {
                    if (gField == 5 && gWire == 2)
                    {
                        var (name, tensor, dtype) = ReadTensor(graph.Sub("initializer"), source, directory);
                        if (!tensors.TryAdd(name, tensor))
                        {
                            throw new InvalidDataException($"{source}: initializer '{name}' appears twice.");
                        }
                        dtypes[name] = dtype;
                    }
                    else if (gField == 15 && gWire == 2)
                    {
                        throw new InvalidDataException($"{source}: sparse initializers are not supported.");
                    }
                    else
                    {
                        graph.Skip(gWire);
                    }
                }
            }
            else
            {
                model.Skip(wire);
            }
        }
        if (!sawGraph)
        {
            throw new InvalidDataException($"{source} has no graph; not an ONNX model.");
        }
        return new OnnxInitializers(tensors, dtypes);
    }

    private static (string Name, Tensor Tensor, string DType) ReadTensor(Reader r, string source, string? directory)
    {
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        ReadOnlyMemory<byte>? raw = null;
        var floats = new List<float>();
        var longs = new List<long>();
        var doubles = new List<double>();
        bool external = false;
        var externalInfo = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1: r.Integers(wire, dims); break;
                case 2: dataType = (int)r.Varint(wire); break;
                case 4: r.Floats(wire, floats); break;
                case 5 or 7 or 11: r.Integers(wire, longs); break;
                case 8: name = r.String(wire); break;
                case 9: raw = r.Bytes(wire); break;
                case 10: r.Doubles(wire, doubles); break;
                case 13:
                {
                    var entry = r.Sub("external_data");
                    string key = "", value = "";
                    while (entry.Next(out int eField, out int eWire))
                    {
                        if (eField == 1) key = entry.String(eWire);
                        else if (eField == 2) value = entry.String(eWire);
                        else entry.Skip(eWire);
                    }
                    externalInfo[key] = value;
                    break;
                }
                case 14: external = r.Varint(wire) == 1; break;
                default: r.Skip(wire); break;
            }
        }
        string where = $"{source}: initializer '{name}'";
        var (typeName, size) = dataType switch
        {
            1 => ("FLOAT", 4),
            2 => ("UINT8", 1),
            3 => ("INT8", 1),
            4 => ("UINT16", 2),
            5 => ("INT16", 2),
            6 => ("INT32", 4),
            7 => ("INT64", 8),
            9 => ("BOOL", 1),
            10 => ("FLOAT16", 2),
            11 => ("DOUBLE", 8),
            12 => ("UINT32", 4),
            13 => ("UINT64", 8),
            16 => ("BFLOAT16", 2),
            _ => throw new InvalidDataException($"{where} has unsupported data type {dataType}."),
        };
        var shape = new int[dims.Count];
        long volume = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] < 0 || dims[i] > Array.MaxLength || (volume *= dims[i]) > Array.MaxLength)
            {
                throw new InvalidDataException($"{where}: dims [{string.Join(", ", dims)}] are invalid or too large.");
            }
            shape[i] = (int)dims[i];
        }

        if (external)
        {
            raw = ReadExternal(externalInfo, volume * size, where, directory);
        }
        var tensor = new Tensor(shape);
        var span = tensor.Span;
        if (raw is { } rawBytes)
        {
            if (rawBytes.Length != volume * size)
            {
                throw new InvalidDataException($"{where}: shape {Tensor.FormatShape(shape)} of {typeName} needs {volume * size} bytes but raw data has {rawBytes.Length}.");
            }
            var b = rawBytes.Span;
            for (int i = 0; i < span.Length; i++) span[i] = FromRaw(b, i, dataType);
        }
        else if (dataType == 1)
        {
            CheckCount(floats.Count, volume, where, "float_data");
            for (int i = 0; i < span.Length; i++) span[i] = floats[i];
        }
        else if (dataType == 11)
        {
            CheckCount(doubles.Count, volume, where, "double_data");
            for (int i = 0; i < span.Length; i++) span[i] = (float)doubles[i];
        }
        else
        {
            CheckCount(longs.Count, volume, where, "integer data");
            for (int i = 0; i < span.Length; i++)
            {
                long v = longs[i];
                span[i] = dataType switch
                {
                    10 => (float)BitConverter.UInt16BitsToHalf((ushort)v),
                    16 => BitConverter.Int32BitsToSingle((int)(v & 0xffff) << 16),
                    13 => (ulong)v,
                    _ => v,
                };
            }
        }
        return (name, tensor, typeName);
    }

    private static ReadOnlyMemory<byte> ReadExternal(Dictionary<string, string> info, long needed, string where, string? directory)
    {
        if (directory is null)
        {
            throw new InvalidDataException($"{where} keeps its data in an external file, but no folder was given to find it.");
        }
        if (!info.TryGetValue("location", out string? location) || location.Length == 0)
        {
            throw new InvalidDataException($"{where} has external data without a location.");
        }
        string path = Path.GetFullPath(Path.Combine(directory, location));
        string root = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{where}: external data location '{location}' lies outside the model's folder.");
        }
        long offset = info.TryGetValue("offset", out var o) && long.TryParse(o, out long off) ? off : 0;
        long length = info.TryGetValue("length", out var l) && long.TryParse(l, out long len) ? len : needed;
        if (offset < 0 || length != needed)
        {
            throw new InvalidDataException($"{where}: external data offset {offset} / length {length} do not give the {needed} bytes the shape needs.");
        }
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{where}: external data file '{path}' is missing.");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (offset + length > stream.Length)
        {
            throw new InvalidDataException($"{where}: external data [{offset}, {offset + length}) lies beyond the end of '{path}' ({stream.Length} bytes).");
        }
        stream.Position = offset;
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void CheckCount(int count, long volume, string where, string field)
    {
        if (count != volume)
        {
            throw new InvalidDataException($"{where}: the shape needs {volume} values but {field} holds {count}.");
        }
    }

    private static float FromRaw(ReadOnlySpan<byte> b, int i, int dataType) => dataType switch
    {
        1 => BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]),
        2 => b[i],
        3 => (sbyte)b[i],
        4 => BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]),
        5 => BinaryPrimitives.ReadInt16LittleEndian(b[(2 * i)..]),
        6 => BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]),
        7 => BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]),
        9 => b[i] != 0 ? 1f : 0f,
        10 => (float)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]),
        11 => (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]),
        12 => BinaryPrimitives.ReadUInt32LittleEndian(b[(4 * i)..]),
        13 => BinaryPrimitives.ReadUInt64LittleEndian(b[(8 * i)..]),
        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]) << 16),
    };

    /// <summary>A bounded reader of protobuf wire format over a slice of the file.</summary>
    private struct Reader(byte[] data, int start, int end, string source, string what, int depth = 0)
    {
        private int _position = start;

        public bool Next(out int field, out int wire)
        {
            if (_position >= end)
            {
                field = wire = 0;
                return false;
            }
            ulong key = ReadVarint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            if (field <= 0) throw Error($"invalid field number {key >> 3}");
            return true;
        }

        public ulong Varint(int wire)
        {
            if (wire != 0) throw Error($"expected a varint but found wire type {wire}");
            return ReadVarint();
        }

        public Reader Sub(string name)
        {
            if (depth + 1 > MaxDepth) throw Error("nesting too deep");
            int length = Length();
            var sub = new Reader(data, _position, _position + length, source, name, depth + 1);
            _position += length;
            return sub;
        }

        public ReadOnlyMemory<byte> Bytes(int wire)
        {
            if (wire != 2) throw Error($"expected bytes but found wire type {wire}");
            int length = Length();
            var memory = new ReadOnlyMemory<byte>(data, _position, length);
            _position += length;
            return memory;
        }

        public string String(int wire)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(Bytes(wire).Span);
            }
            catch (DecoderFallbackException)
            {
                throw Error("a string is not valid UTF-8");
            }
        }

        public void Integers(int wire, List<long> values)
        {
            if (wire == 0)
            {
                values.Add((long)ReadVarint());
                return;
            }
            if (wire != 2) throw Error($"expected integers but found wire type {wire}");
            int length = Length();
            int stop = _position + length;
            while (_position < stop) values.Add((long)ReadVarint());
            if (_position != stop) throw Error("a packed integer runs past its field");
        }

        public void Floats(int wire, List<float> values)
        {
            if (wire == 5)
            {
                values.Add(BinaryPrimitives.ReadSingleLittleEndian(Take(4)));
                return;
            }
            if (wire != 2) throw Error($"expected floats but found wire type {wire}");
            var bytes = Take(Length());
            if (bytes.Length % 4 != 0) throw Error("packed floats are not a multiple of 4 bytes");
            for (int i = 0; i < bytes.Length; i += 4) values.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
        }

        public void Doubles(int wire, List<double> values)
        {
            if (wire == 1)
            {
                values.Add(BinaryPrimitives.ReadDoubleLittleEndian(Take(8)));
                return;
            }
            if (wire != 2) throw Error($"expected doubles but found wire type {wire}");
            var bytes = Take(Length());
            if (bytes.Length % 8 != 0) throw Error("packed doubles are not a multiple of 8 bytes");
            for (int i = 0; i < bytes.Length; i += 8) values.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: ReadVarint(); break;
                case 1: Take(8); break;
                case 2: Take(Length()); break;
                case 5: Take(4); break;
                default: throw Error($"unsupported wire type {wire}");
            }
        }

        private int Length()
        {
            ulong length = ReadVarint();
            if (length > (ulong)(end - _position)) throw Error($"a field of {length} bytes runs past the end ({end - _position} bytes remain; truncated?)");
            return (int)length;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > end - _position) throw Error("truncated");
            var span = data.AsSpan(_position, count);
            _position += count;
            return span;
        }

        private ulong ReadVarint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                if (_position >= end) throw Error("truncated varint");
                byte b = data[_position++];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw Error("varint longer than 10 bytes");
        }

        private readonly InvalidDataException Error(string message) =>
            new($"{source}: malformed protobuf in {what} at byte {_position}: {message}.");
    }
}
