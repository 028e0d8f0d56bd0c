using System.Globalization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Initializers;

/// <summary>U(min, max) regardless of the fans (Keras's <c>RandomUniform</c>; ±0.05 is Keras's default for embeddings).</summary>
public sealed class RandomUniform : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="min">Lower bound (default −0.05).</param>
    /// <param name="max">Upper bound (default 0.05); must be ≥ <paramref name="min"/>.</param>
    public RandomUniform(float min = -0.05f, float max = 0.05f)
    {
        if (!(max >= min)) throw new ArgumentOutOfRangeException(nameof(max), $"max ({max}) must be ≥ min ({min}).");
        Min = min;
        Max = max;
    }

    /// <summary>Lower bound.</summary>
    public float Min { get; }

    /// <summary>Upper bound.</summary>
    public float Max { get; }

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"random_uniform:{Min:R},{Max:R}");

    /// <inheritdoc />
    public override void Fill(Tensor tensor, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(Min + (Max - (double)Min) * random.NextDouble());
    }
}
