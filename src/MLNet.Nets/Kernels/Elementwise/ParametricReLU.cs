using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// PReLU over [N, C, S] data: y = x for x &gt; 0, else a_c·x, with one learnable slope per channel (or one shared slope),
/// as PyTorch's <c>nn.PReLU</c> (channel axis 1; S = H·W for images, 1 for [N, F] features with C = F).
/// </summary>
public static class ParametricReLU
{
    /// <summary>Computes y.</summary>
    /// <param name="x">Input [N, C, S].</param>
    /// <param name="slope">Slopes [C], or [1] for one slope shared by all channels.</param>
    /// <param name="y">Output [N, C, S]; may be the same span as <paramref name="x"/>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, Span<float> y, int n, int c, int spatial)
    {
        Check(x.Length, y.Length, slope.Length, n, c, spatial, "y");
        for (int s = 0; s < n; s++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int at = (s * c + ch) * spatial;
                ElementwiseDriver.Map(new ForwardOp(slope[slope.Length == 1 ? 0 : ch]), x.Slice(at, spatial), y.Slice(at, spatial));
            }
        }
    }

    /// <summary>dx = dy for x &gt; 0, else a_c·dy; dSlope_c = Σ over x ≤ 0 of x·dy (summed over all channels for a shared slope).</summary>
    /// <param name="x">The forward input [N, C, S].</param>
    /// <param name="slope">Slopes [C] or [1].</param>
    /// <param name="dy">dLoss/dy [N, C, S].</param>
    /// <param name="dx">dLoss/dx [N, C, S], written; empty to skip. May be the same span as <paramref name="dy"/>.</param>
    /// <param name="dSlope">dLoss/dSlope, same length as <paramref name="slope"/>, overwritten; empty to skip.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, ReadOnlySpan<float> dy, Span<float> dx,
        Span<float> dSlope, int n, int c, int spatial)
    {
        Check(x.Length, dy.Length, slope.Length, n, c, spatial, "dy");
        if (!dx.IsEmpty && dx.Length != x.Length) throw new ArgumentException($"PReLU: dx has {dx.Length} elements but x has {x.Length}.", nameof(dx));
        if (!dSlope.IsEmpty && dSlope.Length != slope.Length)
        {
            throw new ArgumentException($"PReLU: dSlope has {dSlope.Length} elements but slope has {slope.Length}.", nameof(dSlope));
        }
        if (!dSlope.IsEmpty)
        {
            // Accumulate in double: the shared-slope case sums over the whole batch.
            double total = 0;
            for (int ch = 0; ch < c; ch++)
            {
                double acc = 0;
                for (int s = 0; s < n; s++)
                {
                    int at = (s * c + ch) * spatial;
                    acc += NegativeDot(x.Slice(at, spatial), dy.Slice(at, spatial));
                }
                if (slope.Length == 1) total += acc;
                else dSlope[ch] = (float)acc;
            }
            if (slope.Length == 1) dSlope[0] = (float)total;
        }
        if (dx.IsEmpty) return;
        for (int s = 0; s < n; s++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int at = (s * c + ch) * spatial;
                ElementwiseDriver.Map(new BackwardOp(slope[slope.Length == 1 ? 0 : ch]), x.Slice(at, spatial), dy.Slice(at, spatial), dx.Slice(at, spatial));
            }
        }
    }

    /// <summary>Σ over x ≤ 0 of x·dy.</summary>
    private static float NegativeDot(ReadOnlySpan<float> x, ReadOnlySpan<float> dy)
    {
        int w = Vector<float>.Count;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pd = ref MemoryMarshal.GetReference(dy);
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - w; i += w)
        {
            var xv = Vector.LoadUnsafe(ref px, (nuint)i);
            acc += Vector.ConditionalSelect(Vector.GreaterThan(xv, Vector<float>.Zero), Vector<float>.Zero, xv * Vector.LoadUnsafe(ref pd, (nuint)i));
        }
        float sum = Vector.Sum(acc);
        for (; i < x.Length; i++) if (!(x[i] > 0)) sum += x[i] * dy[i];
        return sum;
    }

    private static void Check(int xLength, int otherLength, int slopeLength, int n, int c, int spatial, string other)
    {
        if (n < 0 || c < 1 || spatial < 1) throw new ArgumentOutOfRangeException(nameof(n), $"PReLU needs N ≥ 0, C ≥ 1, S ≥ 1 but got {n}, {c}, {spatial}.");
        long expected = (long)n * c * spatial;
        if (xLength != expected) throw new ArgumentException($"PReLU: x has {xLength} elements but [{n}, {c}, {spatial}] needs {expected}.");
        if (otherLength != expected) throw new ArgumentException($"PReLU: {other} has {otherLength} elements but [{n}, {c}, {spatial}] needs {expected}.");
        if (slopeLength != c && slopeLength != 1) throw new ArgumentException($"PReLU: slope has {slopeLength} elements but needs 1 or C = {c}.");
    }

    private readonly struct ForwardOp(float slope) : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, x * slope);
    }

    private readonly struct BackwardOp(float slope) : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x, Vector<float> dy) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), dy, dy * slope);
    }
}
