using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>One dimension of a tensor shape (<c>TensorShapeProto.Dimension</c>): a fixed size, a symbolic name, or unknown.</summary>
public sealed class TensorShapeDimension : IProtoMessage
{
    /// <summary>The fixed size (field 1), or null.</summary>
    public long? Value { get; set; }

    /// <summary>The symbolic name such as "batch" (field 2), or null.</summary>
    public string? Param { get; set; }

    /// <summary>A fixed dimension.</summary>
    public static TensorShapeDimension Fixed(long value) => new() { Value = value };

    /// <summary>A symbolic (dynamic) dimension.</summary>
    public static TensorShapeDimension Symbolic(string name) => new() { Param = name };

    int IProtoMessage.CalculateSize() => ProtoWriter.Int64Size(1, Value) + ProtoWriter.StringSize(2, Param);

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.Int64(output, 1, Value);
        ProtoWriter.String(output, 2, Param);
    }

    internal static TensorShapeDimension Read(ProtoReader r)
    {
        var m = new TensorShapeDimension();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.Value = r.Int64(); m.Param = null; break;
                case 2: m.Param = r.String(); m.Value = null; break;
                default: r.Skip(); break;
            }
        }
        return m;
    }

    /// <inheritdoc />
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}
