using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Models;

/// <summary>
/// A symbolic tensor of the functional API: a model input (<see cref="Input.Create(int[])"/>) or the output of a layer
/// called on other nodes (<see cref="LayerCallExtensions.Call(Layer, Node[])"/>). Nodes only describe wiring; a
/// <see cref="Model"/> built from input and output nodes runs them.
/// </summary>
public sealed class Node
{
    internal Node(Layer? layer, Node[] inputs, int[] shape, string? name, GraphScope scope)
    {
        Layer = layer;
        Inputs = inputs;
        Shape = shape;
        InputName = name;
        Scope = scope;
    }

    /// <summary>The layer producing this node, or null for a model input.</summary>
    public Layer? Layer { get; }

    /// <summary>The nodes the layer was called on (empty for a model input).</summary>
    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>The per-sample shape (no batch axis).</summary>
    public int[] Shape { get; }

    /// <summary>True for a model input.</summary>
    public bool IsInput => Layer is null;

    /// <summary>The name of a model input (null for layer outputs and unnamed inputs).</summary>
    public string? InputName { get; internal set; }

    internal GraphScope Scope { get; }

    /// <inheritdoc />
    public override string ToString() =>
        IsInput ? $"Input '{InputName}' {Tensor.FormatShape(Shape)}" : $"{Layer} → {Tensor.FormatShape(Shape)}";
}
