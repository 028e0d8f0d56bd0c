using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>A key-value string pair (<c>StringStringEntryProto</c>): model metadata and external-data descriptors.</summary>
public sealed class StringStringEntryProto : IProtoMessage
{
    /// <summary>The key (field 1).</summary>
    public string? Key { get; set; }

    /// <summary>The value (field 2).</summary>
    public string? Value { get; set; }

    int IProtoMessage.CalculateSize() => ProtoWriter.StringSize(1, Key) + ProtoWriter.StringSize(2, Value);

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.String(output, 1, Key);
        ProtoWriter.String(output, 2, Value);
    }

    internal static StringStringEntryProto Read(ProtoReader r)
    {
        var m = new StringStringEntryProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Key = r.String(); break;
                case 2: m.Value = r.String(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
