using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Interop.Onnx;

/// <summary>Accumulates the nodes, initializers and unique value names of a graph being exported.</summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    public OnnxGraphWriter(int opset) => Opset = opset;

    public GraphProto Graph { get; } = new();

    public int Opset { get; }

    /// <summary>Claims a name that must be used exactly (graph inputs and outputs).</summary>
    public void Reserve(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("ONNX value names must not be empty.");
        if (!_names.Add(name)) throw new ArgumentException($"The ONNX value name '{name}' is used twice.");
    }

    /// <summary>A fresh value name based on <paramref name="stem"/>.</summary>
    public string Unique(string stem)
    {
        if (_names.Add(stem)) return stem;
        for (int k = 1; ; k++)
        {
            string candidate = $"{stem}_{k}";
            if (_names.Add(candidate)) return candidate;
        }
    }

    /// <summary>Adds a float initializer with the tensor's own shape, or <paramref name="dims"/>.</summary>
    public string Weight(string name, Tensor value, long[]? dims = null)
    {
        string unique = Unique(name);
        var shape = dims ?? value.Shape.ToArray().Select(d => (long)d).ToArray();
        Graph.Initializer.Add(TensorProto.FromFloats(unique, shape, value.Span));
        return unique;
    }

    /// <summary>Adds a float initializer from values.</summary>
    public string Floats(string name, long[] dims, float[] values)
    {
        string unique = Unique(name);
        Graph.Initializer.Add(TensorProto.FromFloats(unique, dims, values));
        return unique;
    }

    /// <summary>Adds a float scalar initializer.</summary>
    public string Scalar(string name, float value) => Floats(name, [], [value]);

    /// <summary>Adds a 1-D int64 initializer.</summary>
    public string Int64s(string name, params long[] values)
    {
        string unique = Unique(name);
        Graph.Initializer.Add(TensorProto.FromInt64s(unique, [values.Length], values));
        return unique;
    }

    /// <summary>Adds a node writing <paramref name="output"/>; returns the output name.</summary>
    public string Node(string opType, string nodeName, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        string unique = nodeName;
        for (int k = 1; !_nodeNames.Add(unique); k++) unique = $"{nodeName}_{k}";
        var node = new NodeProto { OpType = opType, Name = unique };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }
}
