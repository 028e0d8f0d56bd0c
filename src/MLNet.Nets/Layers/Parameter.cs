using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>A trainable tensor of a layer together with its gradient.</summary>
/// <remarks>
/// Names follow PyTorch's state-dict names (<c>weight</c>, <c>bias</c>), so that a model's parameter is addressed as
/// <c>{layer name}.{parameter name}</c>, e.g. <c>features.0.weight</c>.
/// </remarks>
public sealed class Parameter
{
    /// <summary>Creates a parameter holding <paramref name="value"/> and a zero gradient of the same shape.</summary>
    public Parameter(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = value;
        Gradient = new Tensor(value.Shape);
    }

    /// <summary>The name inside its layer, such as <c>weight</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public Tensor Value { get; }

    /// <summary>
    /// dLoss/dValue of the last backward pass. A layer's backward pass overwrites it (no zeroing is needed between steps).
    /// </summary>
    public Tensor Gradient { get; }

    /// <summary>False when the parameter is frozen: optimizers leave it unchanged. Default true.</summary>
    public bool Trainable { get; set; } = true;

    /// <summary>L1 regularization factor added to the loss as l1·Σ|w|. Default 0.</summary>
    public float L1 { get; set; }

    /// <summary>L2 regularization factor added to the loss as l2·Σw². Default 0.</summary>
    public float L2 { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Value.ShapeString}";
}
