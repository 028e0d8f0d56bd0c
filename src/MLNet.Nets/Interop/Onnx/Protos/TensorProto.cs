using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>
/// A constant tensor (<c>TensorProto</c>): an initializer (weight), a <c>Constant</c> node's value or a tensor attribute.
/// The data is in <see cref="RawData"/> (little-endian, what the exporter writes) or in one typed field, or outside the
/// file (<see cref="DataLocation"/> 1, which the importer rejects).
/// </summary>
public sealed class TensorProto : IProtoMessage
{
    /// <summary>The dimensions (field 1); empty for a scalar.</summary>
    public List<long> Dims { get; } = [];

    /// <summary>The element type (field 2).</summary>
    public TensorDataType DataType { get; set; }

    /// <summary>Typed float data (field 4, packed); also holds COMPLEX64.</summary>
    public List<float> FloatData { get; } = [];

    /// <summary>Typed int32 data (field 5, packed); also holds INT8/16, UINT8/16, BOOL, FLOAT16 and BFLOAT16 bit patterns.</summary>
    public List<int> Int32Data { get; } = [];

    /// <summary>String data (field 6).</summary>
    public List<ByteString> StringData { get; } = [];

    /// <summary>Typed int64 data (field 7, packed).</summary>
    public List<long> Int64Data { get; } = [];

    /// <summary>The tensor's name (field 8): the initializer's name in the graph.</summary>
    public string? Name { get; set; }

    /// <summary>Raw little-endian bytes (field 9), or null.</summary>
    public ReadOnlyMemory<byte>? RawData { get; set; }

    /// <summary>Typed double data (field 10, packed); also holds COMPLEX128.</summary>
    public List<double> DoubleData { get; } = [];

    /// <summary>Typed uint64 data (field 11, packed); also holds UINT32.</summary>
    public List<ulong> UInt64Data { get; } = [];

    /// <summary>Documentation (field 12).</summary>
    public string? DocString { get; set; }

    /// <summary>External-data descriptors (field 13): location, offset, length, checksum.</summary>
    public List<StringStringEntryProto> ExternalData { get; } = [];

    /// <summary>Where the data is (field 14): 0 in this message, 1 in an external file.</summary>
    public int DataLocation { get; set; }

    /// <summary>True when the data lives in an external file.</summary>
    public bool IsExternal => DataLocation == 1;

    /// <summary>A float tensor whose data is stored as raw little-endian bytes.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dims">The dimensions.</param>
    /// <param name="values">The values in row-major order; their count must be the product of <paramref name="dims"/>.</param>
    public static TensorProto FromFloats(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        CheckVolume(dims, values.Length);
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        var t = new TensorProto { Name = name, DataType = TensorDataType.Float, RawData = bytes };
        t.Dims.AddRange(dims.ToArray());
        return t;
    }

    /// <summary>An int64 tensor whose data is stored as raw little-endian bytes.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dims">The dimensions.</param>
    /// <param name="values">The values in row-major order.</param>
    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values)
    {
        CheckVolume(dims, values.Length);
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        var t = new TensorProto { Name = name, DataType = TensorDataType.Int64, RawData = bytes };
        t.Dims.AddRange(dims.ToArray());
        return t;
    }

    private static void CheckVolume(ReadOnlySpan<long> dims, int count)
    {
        long volume = 1;
        foreach (long d in dims) volume *= d;
        if (volume != count) throw new ArgumentException($"Dims [{string.Join(", ", dims.ToArray())}] hold {volume} values but {count} were given.");
    }

    int IProtoMessage.CalculateSize()
    {
        int size = ProtoWriter.UnpackedInt64sSize(1, Dims) + ProtoWriter.Int32Size(2, (int)DataType);
        size += ProtoWriter.PackedSize(4, FloatData.Count * 4);
        size += ProtoWriter.PackedSize(5, Int32Data.Sum(CodedOutputStream.ComputeInt32Size));
        size += ProtoWriter.UnpackedBytesSize(6, StringData);
        size += ProtoWriter.PackedSize(7, ProtoWriter.VarintPayload(Int64Data));
        size += ProtoWriter.StringSize(8, Name);
        size += RawData is { } raw ? ProtoWriter.BytesSize(9, UnsafeByteOperations.UnsafeWrap(raw)) : 0;
        size += ProtoWriter.PackedSize(10, DoubleData.Count * 8);
        size += ProtoWriter.PackedSize(11, UInt64Data.Sum(CodedOutputStream.ComputeUInt64Size));
        size += ProtoWriter.StringSize(12, DocString);
        size += ProtoWriter.MessagesSize(13, ExternalData);
        size += DataLocation != 0 ? ProtoWriter.Int32Size(14, DataLocation) : 0;
        return size;
    }

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.UnpackedInt64s(output, 1, Dims);
        ProtoWriter.Int32(output, 2, (int)DataType);
        ProtoWriter.PackedFloats(output, 4, FloatData);
        ProtoWriter.PackedInt32s(output, 5, Int32Data);
        ProtoWriter.UnpackedBytes(output, 6, StringData);
        ProtoWriter.PackedVarints(output, 7, Int64Data);
        ProtoWriter.String(output, 8, Name);
        if (RawData is { } raw) ProtoWriter.Bytes(output, 9, UnsafeByteOperations.UnsafeWrap(raw));
        ProtoWriter.PackedDoubles(output, 10, DoubleData);
        ProtoWriter.PackedUInt64s(output, 11, UInt64Data);
        ProtoWriter.String(output, 12, DocString);
        ProtoWriter.Messages(output, 13, ExternalData);
        if (DataLocation != 0) ProtoWriter.Int32(output, 14, DataLocation);
    }

    internal static TensorProto Read(ProtoReader r)
    {
        var m = new TensorProto();
        var ints = new List<long>();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: r.Varints(m.Dims); break;
                case 2: m.DataType = (TensorDataType)r.Int32(); break;
                case 4: r.Floats(m.FloatData); break;
                case 5: r.Int32s(m.Int32Data); break;
                case 6: m.StringData.Add(r.Bytes()); break;
                case 7: r.Varints(m.Int64Data); break;
                case 8: m.Name = r.String(); break;
                case 9: m.RawData = r.Bytes().Memory; break;
                case 10: r.Doubles(m.DoubleData); break;
                case 11: r.UInt64s(m.UInt64Data); break;
                case 12: m.DocString = r.String(); break;
                case 13: m.ExternalData.Add(r.Message("StringStringEntryProto", StringStringEntryProto.Read)); break;
                case 14: m.DataLocation = r.Int32(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
