using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tensor = MLNet.Nets.Tensors.Tensor;

namespace MLNet.Nets.Kernels;

/// <summary>Sum, mean and max of a tensor over one axis, with backward passes.</summary>
/// <remarks>
/// The output <c>y</c> has the input's shape with the reduced axis either removed or kept with size 1 (numpy's
/// keepdims); both are accepted. A negative axis counts from the end.
/// </remarks>
public static class Reductions
{
    /// <summary>y = Σ over <paramref name="axis"/> of x.</summary>
    public static void Sum(Tensor x, int axis, Tensor y)
    {
        var (outer, len, inner) = Split(x, axis, y, "y");
        ReadOnlySpan<float> xs = x.Span;
        var ys = y.Span;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                ys[o] = TensorPrimitives.Sum(xs.Slice(o * len, len));
                continue;
            }
            var yr = ys.Slice(o * inner, inner);
            if (len == 0) { yr.Clear(); continue; }
            xs.Slice(o * len * inner, inner).CopyTo(yr);
            for (int l = 1; l < len; l++) TensorPrimitives.Add(yr, xs.Slice((o * len + l) * inner, inner), yr);
        }
    }

    /// <summary>y = mean over <paramref name="axis"/> of x (NaN for an empty axis).</summary>
    public static void Mean(Tensor x, int axis, Tensor y)
    {
        Sum(x, axis, y);
        int len = x.Dim(axis);
        TensorPrimitives.Multiply(y.Span, 1f / len, y.Span);
    }

    /// <summary>y = max over <paramref name="axis"/> of x, and the index along the axis where it occurs (the first one on ties).</summary>
    /// <param name="x">Input.</param>
    /// <param name="axis">The reduced axis (its size must be ≥ 1).</param>
    /// <param name="y">Output.</param>
    /// <param name="argMax">Receives, for each output element, the index along <paramref name="axis"/> of the maximum; length y.Length.</param>
    public static void Max(Tensor x, int axis, Tensor y, Span<int> argMax)
    {
        var (outer, len, inner) = Split(x, axis, y, "y");
        if (len == 0) throw new ArgumentException($"Cannot take the max over axis {axis} of {x.ShapeString}, which is empty.", nameof(axis));
        if (argMax.Length != y.Length) throw new ArgumentException($"argMax has {argMax.Length} elements but y has {y.Length}.", nameof(argMax));
        ReadOnlySpan<float> xs = x.Span;
        var ys = y.Span;
        int w = Vector<float>.Count;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var row = xs.Slice(o * len, len);
                int at = TensorPrimitives.IndexOfMax(row);
                argMax[o] = at;
                ys[o] = row[at];
                continue;
            }
            var yr = ys.Slice(o * inner, inner);
            var ar = argMax.Slice(o * inner, inner);
            xs.Slice(o * len * inner, inner).CopyTo(yr);
            ar.Clear();
            ref float py = ref MemoryMarshal.GetReference(yr);
            ref int pa = ref MemoryMarshal.GetReference(ar);
            for (int l = 1; l < len; l++)
            {
                var xr = xs.Slice((o * len + l) * inner, inner);
                ref float px = ref MemoryMarshal.GetReference(xr);
                var lv = new Vector<int>(l);
                int j = 0;
                for (; j <= inner - w; j += w)
                {
                    var cand = Vector.LoadUnsafe(ref px, (nuint)j);
                    var cur = Vector.LoadUnsafe(ref py, (nuint)j);
                    var greater = Vector.GreaterThan(cand, cur);
                    Vector.ConditionalSelect(greater, cand, cur).StoreUnsafe(ref py, (nuint)j);
                    Vector.ConditionalSelect(greater, lv, Vector.LoadUnsafe(ref pa, (nuint)j)).StoreUnsafe(ref pa, (nuint)j);
                }
                for (; j < inner; j++)
                {
                    if (xr[j] > yr[j]) { yr[j] = xr[j]; ar[j] = l; }
                }
            }
        }
    }

    /// <summary>dx = dy broadcast along <paramref name="axis"/> (the backward of <see cref="Sum"/>).</summary>
    public static void SumBackward(Tensor dy, int axis, Tensor dx) => Spread(dy, axis, dx, 1f);

    /// <summary>dx = dy / len broadcast along <paramref name="axis"/> (the backward of <see cref="Mean"/>).</summary>
    public static void MeanBackward(Tensor dy, int axis, Tensor dx)
    {
        ArgumentNullException.ThrowIfNull(dx);
        Spread(dy, axis, dx, 1f / dx.Dim(axis));
    }

    /// <summary>dx = dy at the position <see cref="Max"/> chose, 0 elsewhere.</summary>
    public static void MaxBackward(Tensor dy, ReadOnlySpan<int> argMax, int axis, Tensor dx)
    {
        var (outer, len, inner) = Split(dx, axis, dy, "dy");
        if (argMax.Length != dy.Length) throw new ArgumentException($"argMax has {argMax.Length} elements but dy has {dy.Length}.", nameof(argMax));
        ReadOnlySpan<float> g = dy.Span;
        var d = dx.Span;
        d.Clear();
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < inner; j++)
            {
                int l = argMax[o * inner + j];
                if ((uint)l >= (uint)len) throw new ArgumentException($"argMax holds {l}, outside axis {axis} of size {len}.", nameof(argMax));
                d[(o * len + l) * inner + j] = g[o * inner + j];
            }
        }
    }

    private static void Spread(Tensor dy, int axis, Tensor dx, float scale)
    {
        var (outer, len, inner) = Split(dx, axis, dy, "dy");
        ReadOnlySpan<float> g = dy.Span;
        var d = dx.Span;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                d.Slice(o * len, len).Fill(g[o] * scale);
                continue;
            }
            var gr = g.Slice(o * inner, inner);
            for (int l = 0; l < len; l++) TensorPrimitives.Multiply(gr, scale, d.Slice((o * len + l) * inner, inner));
        }
    }

    /// <summary>Checks that <paramref name="reduced"/> is <paramref name="full"/> reduced over the axis, and splits the shape.</summary>
    private static (int Outer, int Length, int Inner) Split(Tensor full, int axis, Tensor reduced, string what)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(reduced);
        int rank = full.Rank;
        int a = axis < 0 ? axis + rank : axis;
        if ((uint)a >= (uint)rank) throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is outside a tensor of rank {rank} ({full.ShapeString}).");
        var fs = full.Shape;
        var rs = reduced.Shape;
        bool kept = rs.Length == rank && rs[..a].SequenceEqual(fs[..a]) && rs[a] == 1 && rs[(a + 1)..].SequenceEqual(fs[(a + 1)..]);
        bool removed = rs.Length == rank - 1 && rs[..a].SequenceEqual(fs[..a]) && rs[a..].SequenceEqual(fs[(a + 1)..]);
        if (!kept && !removed)
        {
            throw new ArgumentException($"Reducing {full.ShapeString} over axis {axis}: {what} has shape {reduced.ShapeString}, which is not that shape with the axis removed or set to 1.");
        }
        int outer = 1, inner = 1;
        for (int d = 0; d < a; d++) outer *= fs[d];
        for (int d = a + 1; d < rank; d++) inner *= fs[d];
        return (outer, fs[a], inner);
    }
}
