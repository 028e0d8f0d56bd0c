using System.Globalization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Initializers;

/// <summary>N(mean, std²) regardless of the fans (PyTorch's default for <c>nn.Embedding</c> is N(0, 1)).</summary>
public sealed class RandomNormal : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean (default 0).</param>
    /// <param name="std">Standard deviation (default 0.05, Keras's default); must be ≥ 0.</param>
    public RandomNormal(float mean = 0f, float std = 0.05f)
    {
        if (!(std >= 0)) throw new ArgumentOutOfRangeException(nameof(std), $"std must be ≥ 0 but is {std}.");
        Mean = mean;
        StdDev = std;
    }

    /// <summary>Mean.</summary>
    public float Mean { get; }

    /// <summary>Standard deviation.</summary>
    public float StdDev { get; }

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"random_normal:{Mean:R},{StdDev:R}");

    /// <inheritdoc />
    public override void Fill(Tensor tensor, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(Mean + StdDev * NextGaussian(random));
    }
}
