using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>An operator set the model uses (<c>OperatorSetIdProto</c>): a domain ("" is the default ONNX domain) and its version.</summary>
public sealed class OperatorSetIdProto : IProtoMessage
{
    /// <summary>The operator-set domain (field 1); "" or null for the default ONNX operators.</summary>
    public string? Domain { get; set; }

    /// <summary>The operator-set version (field 2), e.g. 17.</summary>
    public long Version { get; set; }

    int IProtoMessage.CalculateSize() => ProtoWriter.StringSize(1, Domain) + ProtoWriter.Int64Size(2, Version);

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.String(output, 1, Domain);
        ProtoWriter.Int64(output, 2, Version);
    }

    internal static OperatorSetIdProto Read(ProtoReader r)
    {
        var m = new OperatorSetIdProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Domain = r.String(); break;
                case 2: m.Version = r.Int64(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
