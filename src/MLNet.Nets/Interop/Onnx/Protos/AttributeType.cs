namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>The kind of value an ONNX node attribute holds (<c>AttributeProto.AttributeType</c>).</summary>
public enum AttributeType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary>One float (<c>f</c>).</summary>
    Float = 1,
    /// <summary>One int64 (<c>i</c>).</summary>
    Int = 2,
    /// <summary>One byte string (<c>s</c>).</summary>
    String = 3,
    /// <summary>One tensor (<c>t</c>).</summary>
    Tensor = 4,
    /// <summary>One sub-graph (<c>g</c>).</summary>
    Graph = 5,
    /// <summary>Floats (<c>floats</c>).</summary>
    Floats = 6,
    /// <summary>Int64s (<c>ints</c>).</summary>
    Ints = 7,
    /// <summary>Byte strings (<c>strings</c>).</summary>
    Strings = 8,
    /// <summary>Tensors (<c>tensors</c>).</summary>
    Tensors = 9,
    /// <summary>Sub-graphs (<c>graphs</c>).</summary>
    Graphs = 10,
    /// <summary>One sparse tensor.</summary>
    SparseTensor = 11,
    /// <summary>Sparse tensors.</summary>
    SparseTensors = 12,
    /// <summary>One type.</summary>
    TypeProto = 13,
    /// <summary>Types.</summary>
    TypeProtos = 14,
}
