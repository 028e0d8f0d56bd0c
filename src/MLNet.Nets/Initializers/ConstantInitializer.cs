using System.Globalization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Initializers;

/// <summary>Sets every element to one value (<see cref="Initializer.Zeros"/>, <see cref="Initializer.Ones"/>, <see cref="Initializer.Constant"/>).</summary>
public sealed class ConstantInitializer : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="value">The value every element gets.</param>
    public ConstantInitializer(float value) => Value = value;

    /// <summary>The value every element gets.</summary>
    public float Value { get; }

    /// <inheritdoc />
    public override string Name => Value switch
    {
        0f => "zeros",
        1f => "ones",
        _ => string.Create(CultureInfo.InvariantCulture, $"constant:{Value:R}"),
    };

    /// <inheritdoc />
    public override void Fill(Tensor tensor, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Fill(Value);
    }
}
