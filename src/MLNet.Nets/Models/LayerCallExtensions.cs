using MLNet.Nets.Layers;

namespace MLNet.Nets.Models;

/// <summary>The functional API: calling a layer on nodes builds it for their shapes and returns its output node.</summary>
public static class LayerCallExtensions
{
    /// <summary>
    /// Calls <paramref name="layer"/> on <paramref name="inputs"/> (one node for most layers, several for merge layers):
    /// builds the layer for the inputs' shapes (initial weights from the inputs' seeded generator) and returns the
    /// symbolic output.
    /// </summary>
    /// <exception cref="ArgumentException">The layer does not accept the input shapes (the message names the layer).</exception>
    public static Node Call(this Layer layer, params Node[] inputs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new ArgumentException($"Layer '{layer.Name ?? layer.TypeName}' was called on no input.", nameof(inputs));
        foreach (var n in inputs) ArgumentNullException.ThrowIfNull(n, nameof(inputs));
        int[] shape;
        try
        {
            shape = layer.Build(inputs.Select(n => n.Shape).ToArray(), inputs[0].Scope.Random);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"Calling layer '{layer.Name ?? layer.TypeName}' ({layer.TypeName}) on {string.Join(" and ", inputs.Select(n => "[" + string.Join(", ", n.Shape) + "]"))} failed: {e.Message}", nameof(inputs), e);
        }
        return new Node(layer, (Node[])inputs.Clone(), (int[])shape.Clone(), null, inputs[0].Scope);
    }

    /// <summary>The same as <see cref="Call(Layer, Node[])"/>.</summary>
    public static Node Apply(this Layer layer, params Node[] inputs) => layer.Call(inputs);
}
