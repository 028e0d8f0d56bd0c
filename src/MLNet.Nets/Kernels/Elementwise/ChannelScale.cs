using System.Numerics.Tensors;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Per-sample, per-channel scaling y[n, c, s] = x[n, c, s]·scale[n, c] — the gate of a squeeze-and-excitation block.
/// </summary>
public static class ChannelScale
{
    /// <summary>Computes y.</summary>
    /// <param name="x">Input [N, C, S] (S = H·W).</param>
    /// <param name="scale">Scales [N, C].</param>
    /// <param name="y">Output [N, C, S]; may be the same span as <paramref name="x"/>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, Span<float> y, int n, int c, int spatial)
    {
        Check(x.Length, y.Length, scale.Length, n, c, spatial, "y");
        for (int i = 0; i < n * c; i++)
        {
            TensorPrimitives.Multiply(x.Slice(i * spatial, spatial), scale[i], y.Slice(i * spatial, spatial));
        }
    }

    /// <summary>dx = dy·scale[n, c]; dScale[n, c] = Σ_s dy·x.</summary>
    /// <param name="x">The forward input [N, C, S].</param>
    /// <param name="scale">Scales [N, C].</param>
    /// <param name="dy">dLoss/dy [N, C, S].</param>
    /// <param name="dx">dLoss/dx [N, C, S], written; empty to skip. May be the same span as <paramref name="dy"/>.</param>
    /// <param name="dScale">dLoss/dScale [N, C], written; empty to skip.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> dy, Span<float> dx,
        Span<float> dScale, int n, int c, int spatial)
    {
        Check(x.Length, dy.Length, scale.Length, n, c, spatial, "dy");
        if (!dx.IsEmpty && dx.Length != x.Length) throw new ArgumentException($"Channel scale: dx has {dx.Length} elements but x has {x.Length}.", nameof(dx));
        if (!dScale.IsEmpty && dScale.Length != scale.Length) throw new ArgumentException($"Channel scale: dScale has {dScale.Length} elements but scale has {scale.Length}.", nameof(dScale));
        for (int i = 0; i < n * c; i++)
        {
            var dys = dy.Slice(i * spatial, spatial);
            // dScale first: dx may overwrite dy.
            if (!dScale.IsEmpty) dScale[i] = TensorPrimitives.Dot(dys, x.Slice(i * spatial, spatial));
            if (!dx.IsEmpty) TensorPrimitives.Multiply(dys, scale[i], dx.Slice(i * spatial, spatial));
        }
    }

    private static void Check(int xLength, int otherLength, int scaleLength, int n, int c, int spatial, string other)
    {
        if (n < 0 || c < 1 || spatial < 1) throw new ArgumentOutOfRangeException(nameof(n), $"Channel scale needs N ≥ 0, C ≥ 1, S ≥ 1 but got {n}, {c}, {spatial}.");
        long expected = (long)n * c * spatial;
        if (xLength != expected) throw new ArgumentException($"Channel scale: x has {xLength} elements but [{n}, {c}, {spatial}] needs {expected}.");
        if (otherLength != expected) throw new ArgumentException($"Channel scale: {other} has {otherLength} elements but [{n}, {c}, {spatial}] needs {expected}.");
        if (scaleLength != (long)n * c) throw new ArgumentException($"Channel scale: scale has {scaleLength} elements but [{n}, {c}] needs {n * c}.");
    }
}
