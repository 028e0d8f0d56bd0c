using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>A computation graph (<c>GraphProto</c>): nodes in topological order, initializers (weights), inputs and outputs.</summary>
public sealed class GraphProto : IProtoMessage
{
    /// <summary>The nodes (field 1), in topological order.</summary>
    public List<NodeProto> Node { get; } = [];

    /// <summary>The graph's name (field 2).</summary>
    public string? Name { get; set; }

    /// <summary>The constant tensors (field 5): weights, biases, shapes.</summary>
    public List<TensorProto> Initializer { get; } = [];

    /// <summary>Documentation (field 10).</summary>
    public string? DocString { get; set; }

    /// <summary>The graph inputs (field 11); older files also list the initializers here.</summary>
    public List<ValueInfoProto> Input { get; } = [];

    /// <summary>The graph outputs (field 12).</summary>
    public List<ValueInfoProto> Output { get; } = [];

    /// <summary>Type and shape annotations of intermediate values (field 13).</summary>
    public List<ValueInfoProto> ValueInfo { get; } = [];

    /// <summary>True when the file holds sparse initializers (field 15), which are not modelled.</summary>
    public bool HasSparseInitializers { get; set; }

    int IProtoMessage.CalculateSize() =>
        ProtoWriter.MessagesSize(1, Node) + ProtoWriter.StringSize(2, Name) + ProtoWriter.MessagesSize(5, Initializer) +
        ProtoWriter.StringSize(10, DocString) + ProtoWriter.MessagesSize(11, Input) + ProtoWriter.MessagesSize(12, Output) +
        ProtoWriter.MessagesSize(13, ValueInfo);

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.Messages(output, 1, Node);
        ProtoWriter.String(output, 2, Name);
        ProtoWriter.Messages(output, 5, Initializer);
        ProtoWriter.String(output, 10, DocString);
        ProtoWriter.Messages(output, 11, Input);
        ProtoWriter.Messages(output, 12, Output);
        ProtoWriter.Messages(output, 13, ValueInfo);
    }

    internal static GraphProto Read(ProtoReader r)
    {
        var m = new GraphProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Node.Add(r.Message("NodeProto", NodeProto.Read)); break;
                case 2: m.Name = r.String(); break;
                case 5: m.Initializer.Add(r.Message("TensorProto", TensorProto.Read)); break;
                case 10: m.DocString = r.String(); break;
                case 11: m.Input.Add(r.Message("ValueInfoProto", ValueInfoProto.Read)); break;
                case 12: m.Output.Add(r.Message("ValueInfoProto", ValueInfoProto.Read)); break;
                case 13: m.ValueInfo.Add(r.Message("ValueInfoProto", ValueInfoProto.Read)); break;
                case 15: m.HasSparseInitializers = true; r.Skip(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
