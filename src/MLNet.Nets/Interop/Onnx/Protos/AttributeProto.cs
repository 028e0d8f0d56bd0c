using System.Text;
using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>
/// A named attribute of a node (<c>AttributeProto</c>), such as Conv's <c>strides</c> or Softmax's <c>axis</c>. The
/// value kinds the operators here use are modelled (float, int, string, tensor, graph and their lists); sparse tensors
/// and type protos are skipped when read.
/// </summary>
public sealed class AttributeProto : IProtoMessage
{
    /// <summary>The attribute's name (field 1).</summary>
    public string Name { get; set; } = "";

    /// <summary>Which value field is meant (field 20).</summary>
    public AttributeType Type { get; set; }

    /// <summary>The float value (field 2).</summary>
    public float F { get; set; }

    /// <summary>The int value (field 3).</summary>
    public long I { get; set; }

    /// <summary>The string value as bytes (field 4).</summary>
    public ByteString S { get; set; } = ByteString.Empty;

    /// <summary>The tensor value (field 5).</summary>
    public TensorProto? T { get; set; }

    /// <summary>The sub-graph value (field 6), e.g. of If and Loop.</summary>
    public GraphProto? G { get; set; }

    /// <summary>The float list (field 7).</summary>
    public List<float> Floats { get; } = [];

    /// <summary>The int list (field 8).</summary>
    public List<long> Ints { get; } = [];

    /// <summary>The string list (field 9).</summary>
    public List<ByteString> Strings { get; } = [];

    /// <summary>The tensor list (field 10).</summary>
    public List<TensorProto> Tensors { get; } = [];

    /// <summary>The sub-graph list (field 11).</summary>
    public List<GraphProto> Graphs { get; } = [];

    /// <summary>Documentation (field 13).</summary>
    public string? DocString { get; set; }

    /// <summary>The name of a function attribute this one refers to (field 21), or null.</summary>
    public string? RefAttrName { get; set; }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeType.Int, I = value };

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeType.Float, F = value };

    /// <summary>A STRING attribute (UTF-8).</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto IntList(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A TENSOR attribute.</summary>
    public static AttributeProto TensorValue(string name, TensorProto value) => new() { Name = name, Type = AttributeType.Tensor, T = value };

    /// <summary>The string value decoded as UTF-8.</summary>
    public string StringValue => Encoding.UTF8.GetString(S.Span);

    int IProtoMessage.CalculateSize()
    {
        int size = ProtoWriter.StringSize(1, Name) + ProtoWriter.Int32Size(20, (int)Type);
        switch (Type)
        {
            case AttributeType.Float: size += ProtoWriter.FloatSize(2, F); break;
            case AttributeType.Int: size += ProtoWriter.Int64Size(3, I); break;
            case AttributeType.String: size += ProtoWriter.BytesSize(4, S); break;
            case AttributeType.Tensor: size += ProtoWriter.MessageSize(5, T); break;
            case AttributeType.Graph: size += ProtoWriter.MessageSize(6, G); break;
        }
        size += ProtoWriter.UnpackedFloatsSize(7, Floats) + ProtoWriter.UnpackedInt64sSize(8, Ints) + ProtoWriter.UnpackedBytesSize(9, Strings);
        size += ProtoWriter.MessagesSize(10, Tensors) + ProtoWriter.MessagesSize(11, Graphs);
        size += ProtoWriter.StringSize(13, DocString) + ProtoWriter.StringSize(21, RefAttrName);
        return size;
    }

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.String(output, 1, Name);
        switch (Type)
        {
            case AttributeType.Float: ProtoWriter.Float(output, 2, F); break;
            case AttributeType.Int: ProtoWriter.Int64(output, 3, I); break;
            case AttributeType.String: ProtoWriter.Bytes(output, 4, S); break;
            case AttributeType.Tensor: ProtoWriter.Message(output, 5, T); break;
            case AttributeType.Graph: ProtoWriter.Message(output, 6, G); break;
        }
        ProtoWriter.UnpackedFloats(output, 7, Floats);
        ProtoWriter.UnpackedInt64s(output, 8, Ints);
        ProtoWriter.UnpackedBytes(output, 9, Strings);
        ProtoWriter.Messages(output, 10, Tensors);
        ProtoWriter.Messages(output, 11, Graphs);
        ProtoWriter.String(output, 13, DocString);
        ProtoWriter.Int32(output, 20, (int)Type);
        ProtoWriter.String(output, 21, RefAttrName);
    }

    internal static AttributeProto Read(ProtoReader r)
    {
        var m = new AttributeProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Name = r.String(); break;
                case 2: m.F = r.Float(); break;
                case 3: m.I = r.Int64(); break;
                case 4: m.S = r.Bytes(); break;
                case 5: m.T = r.Message("TensorProto", TensorProto.Read); break;
                case 6: m.G = r.Message("GraphProto", GraphProto.Read); break;
                case 7: r.Floats(m.Floats); break;
                case 8: r.Varints(m.Ints); break;
                case 9: m.Strings.Add(r.Bytes()); break;
                case 10: m.Tensors.Add(r.Message("TensorProto", TensorProto.Read)); break;
                case 11: m.Graphs.Add(r.Message("GraphProto", GraphProto.Read)); break;
                case 13: m.DocString = r.String(); break;
                case 20: m.Type = (AttributeType)r.Int32(); break;
                case 21: m.RefAttrName = r.String(); break;
                default: r.Skip(); break;
            }
        }
        return m;
    }
}
