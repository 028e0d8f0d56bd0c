using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>One operator call of a graph (<c>NodeProto</c>): op type, input and output value names, attributes.</summary>
public sealed class NodeProto : IProtoMessage
{
    /// <summary>The input value names (field 1); "" marks an omitted optional input.</summary>
    public List<string> Input { get; } = [];

    /// <summary>The output value names (field 2).</summary>
    public List<string> Output { get; } = [];

    /// <summary>The node's name (field 3), for diagnostics.</summary>
    public string? Name { get; set; }

    /// <summary>The operator, such as "Conv" (field 4).</summary>
    public string OpType { get; set; } = "";

    /// <summary>The operator's domain (field 7); "" or null for the default ONNX operators.</summary>
    public string? Domain { get; set; }

    /// <summary>The attributes (field 5).</summary>
    public List<AttributeProto> Attribute { get; } = [];

    /// <summary>Documentation (field 6).</summary>
    public string? DocString { get; set; }

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public AttributeProto? FindAttribute(string name) => Attribute.Find(a => a.Name == name);

    int IProtoMessage.CalculateSize()
    {
        int size = Input.Sum(s => ProtoWriter.StringSize(1, s)) + Output.Sum(s => ProtoWriter.StringSize(2, s));
        size += ProtoWriter.StringSize(3, Name) + ProtoWriter.StringSize(4, OpType) + ProtoWriter.MessagesSize(5, Attribute);
        size += ProtoWriter.StringSize(6, DocString) + ProtoWriter.StringSize(7, Domain);
        return size;
    }

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        foreach (var s in Input) ProtoWriter.String(output, 1, s);
        foreach (var s in Output) ProtoWriter.String(output, 2, s);
        ProtoWriter.String(output, 3, Name);
        ProtoWriter.String(output, 4, OpType);
        ProtoWriter.Messages(output, 5, Attribute);
        ProtoWriter.String(output, 6, DocString);
        ProtoWriter.String(output, 7, Domain);
    }

    internal static NodeProto Read(ProtoReader r)
    {
        var m = new NodeProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Input.Add(r.String()); break;
                case 2: m.Output.Add(r.String()); break;
                case 3: m.Name = r.String(); break;
                case 4: m.OpType = r.String(); break;
                case 5: m.Attribute.Add(r.Message("AttributeProto", AttributeProto.Read)); break;
                case 6: m.DocString = r.String(); break;
                case 7: m.Domain = r.String(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
