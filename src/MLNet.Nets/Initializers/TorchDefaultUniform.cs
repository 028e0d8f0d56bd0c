using MLNet.Nets.Tensors;

namespace MLNet.Nets.Initializers;

/// <summary>
/// PyTorch's default for <c>nn.Linear</c> and <c>nn.Conv*</c>: U(±1/√fan_in) for the weight (what
/// kaiming_uniform_ with a = √5 reduces to) and for the bias (with the weight's fan_in).
/// </summary>
public sealed class TorchDefaultUniform : Initializer
{
    /// <inheritdoc />
    public override string Name => "torch_default";

    /// <inheritdoc />
    public override void Fill(Tensor tensor, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        if (fanIn < 1) throw new ArgumentOutOfRangeException(nameof(fanIn), $"torch_default needs fan_in ≥ 1 but got {fanIn} for {tensor.ShapeString}.");
        double bound = 1.0 / Math.Sqrt(fanIn);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(bound * (2 * random.NextDouble() - 1));
    }
}
