using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>
/// The type of a graph value (<c>TypeProto</c>). Only the tensor case (field 1: element type and shape) is modelled;
/// a value of another kind (sequence, map, optional, sparse tensor) is read with <see cref="IsTensor"/> false.
/// </summary>
public sealed class TypeProto : IProtoMessage
{
    /// <summary>True when the type is a dense tensor (<c>tensor_type</c>).</summary>
    public bool IsTensor { get; set; } = true;

    /// <summary>The tensor's element type (<c>Tensor.elem_type</c>, field 1).</summary>
    public TensorDataType ElementType { get; set; }

    /// <summary>The tensor's dimensions (<c>Tensor.shape</c>, field 2 → <c>TensorShapeProto.dim</c>); null when the rank is unknown.</summary>
    public List<TensorShapeDimension>? Shape { get; set; }

    /// <summary>A float or other tensor type with the given dimensions.</summary>
    public static TypeProto Tensor(TensorDataType elementType, IEnumerable<TensorShapeDimension> shape) =>
        new() { ElementType = elementType, Shape = shape.ToList() };

    private int TensorSize()
    {
        int size = ProtoWriter.Int32Size(1, (int)ElementType);
        if (Shape is not null)
        {
            int shapeSize = ProtoWriter.MessagesSize(1, Shape);
            size += CodedOutputStream.ComputeTagSize(2) + CodedOutputStream.ComputeLengthSize(shapeSize) + shapeSize;
        }
        return size;
    }

    int IProtoMessage.CalculateSize()
    {
        if (!IsTensor) return 0;
        int tensor = TensorSize();
        return CodedOutputStream.ComputeTagSize(1) + CodedOutputStream.ComputeLengthSize(tensor) + tensor;
    }

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        if (!IsTensor) return;
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteLength(TensorSize());
        ProtoWriter.Int32(output, 1, (int)ElementType);
        if (Shape is not null)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteLength(ProtoWriter.MessagesSize(1, Shape));
            ProtoWriter.Messages(output, 1, Shape);
        }
    }

    internal static TypeProto Read(ProtoReader r)
    {
        var m = new TypeProto { IsTensor = false };
        while (r.Next(out int field))
        {
            if (field == 1)
            {
                m.IsTensor = true;
                r.Message("TypeProto.Tensor", t =>
                {
                    while (t.Next(out int f))
                    {
                        if (f == 1) m.ElementType = (TensorDataType)t.Int32();
                        else if (f == 2) m.Shape = t.Message("TensorShapeProto", ReadShape);
                        else t.Skip();
                    }
                    return 0;
                });
            }
            else
            {
                r.Skip();
            }
        }
        return m;
    }

    private static List<TensorShapeDimension> ReadShape(ProtoReader r)
    {
        var dims = new List<TensorShapeDimension>();
        while (r.Next(out int field))
        {
            if (field == 1) dims.Add(r.Message("Dimension", TensorShapeDimension.Read));
            else r.Skip();
        }
        return dims;
    }
}
