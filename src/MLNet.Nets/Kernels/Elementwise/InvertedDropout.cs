using System.Numerics.Tensors;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Inverted dropout: in training each element is zeroed with probability <c>rate</c> and the survivors are scaled by
/// 1/(1 − rate), so that the expected output equals the input and inference is the identity.
/// </summary>
public static class InvertedDropout
{
    /// <summary>Draws a mask and applies it: mask[i] = 1/(1 − rate) with probability 1 − rate, else 0; y = x·mask.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, same length; may be the same span as <paramref name="x"/>.</param>
    /// <param name="mask">Receives the mask (kept for <see cref="Backward"/>), same length.</param>
    /// <param name="rate">Drop probability in [0, 1).</param>
    /// <param name="random">Source of the mask; a seeded generator makes it reproducible.</param>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout rate must be in [0, 1) but is {rate}.");
        if (y.Length != x.Length || mask.Length != x.Length)
        {
            throw new ArgumentException($"Dropout: x, y and mask must have the same length but have {x.Length}, {y.Length} and {mask.Length}.");
        }
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextSingle() >= rate ? keep : 0f;
        TensorPrimitives.Multiply(x, mask, y);
    }

    /// <summary>dx = dy·mask.</summary>
    /// <param name="dy">dLoss/dy.</param>
    /// <param name="mask">The mask <see cref="Forward"/> drew.</param>
    /// <param name="dx">dLoss/dx, written; may be the same span as <paramref name="dy"/>.</param>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx)
    {
        if (dx.Length != dy.Length || mask.Length != dy.Length)
        {
            throw new ArgumentException($"Dropout: dy, mask and dx must have the same length but have {dy.Length}, {mask.Length} and {dx.Length}.");
        }
        TensorPrimitives.Multiply(dy, mask, dx);
    }
}
