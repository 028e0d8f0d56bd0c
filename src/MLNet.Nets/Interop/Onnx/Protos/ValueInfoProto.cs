using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>A named, typed graph value (<c>ValueInfoProto</c>): graph inputs, outputs and shape annotations.</summary>
public sealed class ValueInfoProto : IProtoMessage
{
    /// <summary>The value's name (field 1).</summary>
    public string Name { get; set; } = "";

    /// <summary>The value's type (field 2), or null when unknown.</summary>
    public TypeProto? Type { get; set; }

    /// <summary>Documentation (field 3).</summary>
    public string? DocString { get; set; }

    int IProtoMessage.CalculateSize() =>
        ProtoWriter.StringSize(1, Name) + ProtoWriter.MessageSize(2, Type) + ProtoWriter.StringSize(3, DocString);

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.String(output, 1, Name);
        ProtoWriter.Message(output, 2, Type);
        ProtoWriter.String(output, 3, DocString);
    }

    internal static ValueInfoProto Read(ProtoReader r)
    {
        var m = new ValueInfoProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Name = r.String(); break;
                case 2: m.Type = r.Message("TypeProto", TypeProto.Read); break;
                case 3: m.DocString = r.String(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
