using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>Writes and sizes ONNX fields with <see cref="CodedOutputStream"/>; optional fields are skipped when unset.</summary>
internal static class ProtoWriter
{
    public static int StringSize(int field, string? value) =>
        value is null ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeStringSize(value);

    public static void String(CodedOutputStream o, int field, string? value)
    {
        if (value is null) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    public static int BytesSize(int field, ByteString? value) =>
        value is null ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeBytesSize(value);

    public static void Bytes(CodedOutputStream o, int field, ByteString? value)
    {
        if (value is null) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(value);
    }

    public static int Int64Size(int field, long? value) =>
        value is null ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(value.Value);

    public static void Int64(CodedOutputStream o, int field, long? value)
    {
        if (value is null) return;
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value.Value);
    }

    public static int Int32Size(int field, int? value) =>
        value is null ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt32Size(value.Value);

    public static void Int32(CodedOutputStream o, int field, int? value)
    {
        if (value is null) return;
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt32(value.Value);
    }

    public static int FloatSize(int field, float? value) => value is null ? 0 : CodedOutputStream.ComputeTagSize(field) + 4;

    public static void Float(CodedOutputStream o, int field, float? value)
    {
        if (value is null) return;
        o.WriteTag(field, WireFormat.WireType.Fixed32);
        o.WriteFloat(value.Value);
    }

    /// <summary>Size of repeated int64 written one tag per value (proto2 unpacked, as onnx.proto declares dims and ints).</summary>
    public static int UnpackedInt64sSize(int field, List<long> values)
    {
        int size = 0;
        foreach (long v in values) size += CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(v);
        return size;
    }

    public static void UnpackedInt64s(CodedOutputStream o, int field, List<long> values)
    {
        foreach (long v in values)
        {
            o.WriteTag(field, WireFormat.WireType.Varint);
            o.WriteInt64(v);
        }
    }

    public static int UnpackedFloatsSize(int field, List<float> values) => values.Count * (CodedOutputStream.ComputeTagSize(field) + 4);

    public static void UnpackedFloats(CodedOutputStream o, int field, List<float> values)
    {
        foreach (float v in values)
        {
            o.WriteTag(field, WireFormat.WireType.Fixed32);
            o.WriteFloat(v);
        }
    }

    public static int UnpackedBytesSize(int field, List<ByteString> values) =>
        values.Sum(v => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeBytesSize(v));

    public static void UnpackedBytes(CodedOutputStream o, int field, List<ByteString> values)
    {
        foreach (var v in values) Bytes(o, field, v);
    }

    /// <summary>Size of a packed run (one tag, one length, the payload); nothing when empty.</summary>
    public static int PackedSize(int field, int payload) =>
        payload == 0 ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(payload) + payload;

    public static int VarintPayload(List<long> values) => values.Sum(CodedOutputStream.ComputeInt64Size);

    public static void PackedVarints(CodedOutputStream o, int field, List<long> values) =>
        Packed(o, field, values, CodedOutputStream.ComputeInt64Size, (w, v) => w.WriteInt64(v));

    public static void PackedInt32s(CodedOutputStream o, int field, List<int> values) =>
        Packed(o, field, values, CodedOutputStream.ComputeInt32Size, (w, v) => w.WriteInt32(v));

    public static void PackedUInt64s(CodedOutputStream o, int field, List<ulong> values) =>
        Packed(o, field, values, CodedOutputStream.ComputeUInt64Size, (w, v) => w.WriteUInt64(v));

    /// <summary>A packed repeated varint field: one tag, the byte length, then the values; nothing when empty.</summary>
    private static void Packed<T>(CodedOutputStream o, int field, List<T> values, Func<T, int> size, Action<CodedOutputStream, T> write)
    {
        int payload = values.Sum(size);
        if (payload == 0) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteLength(payload);
        foreach (var v in values) write(o, v);
    }

    public static void PackedFloats(CodedOutputStream o, int field, List<float> values)
    {
        if (values.Count == 0) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteLength(values.Count * 4);
        foreach (float v in values) o.WriteFloat(v);
    }

    public static void PackedDoubles(CodedOutputStream o, int field, List<double> values)
    {
        if (values.Count == 0) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteLength(values.Count * 8);
        foreach (double v in values) o.WriteDouble(v);
    }

    public static int MessageSize(int field, IProtoMessage? message)
    {
        if (message is null) return 0;
        int size = message.CalculateSize();
        return CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(size) + size;
    }

    public static void Message(CodedOutputStream o, int field, IProtoMessage? message)
    {
        if (message is null) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteLength(message.CalculateSize());
        message.WriteTo(o);
    }

    public static int MessagesSize<T>(int field, List<T> messages) where T : IProtoMessage =>
        messages.Sum(m => MessageSize(field, m));

    public static void Messages<T>(CodedOutputStream o, int field, List<T> messages) where T : IProtoMessage
    {
        foreach (var m in messages) Message(o, field, m);
    }
}
