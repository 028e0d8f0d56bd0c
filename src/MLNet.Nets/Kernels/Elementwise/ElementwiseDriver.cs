using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.Nets.Kernels;

/// <summary>A function of one vector, applied lane by lane.</summary>
internal interface IUnaryVectorOp
{
    /// <summary>
    /// True for a few-instruction operator: the driver then processes four vectors per iteration, which keeps more
    /// loads in flight on memory-bound data. Heavy operators (exp-based) stay at one vector to avoid register spills.
    /// </summary>
    static virtual bool Unroll => false;

    Vector<float> Invoke(Vector<float> x);
}

/// <summary>A function of two vectors (e.g. x or y, and dy for an activation's backward), applied lane by lane.</summary>
internal interface IBinaryVectorOp
{
    /// <summary>As <see cref="IUnaryVectorOp.Unroll"/>: two vectors per iteration for few-instruction operators.</summary>
    static virtual bool Unroll => false;

    Vector<float> Invoke(Vector<float> a, Vector<float> b);
}

/// <summary>A function of three vectors, applied lane by lane.</summary>
internal interface ITernaryVectorOp
{
    Vector<float> Invoke(Vector<float> a, Vector<float> b, Vector<float> c);
}

/// <summary>
/// Loops that apply a struct operator over spans. The JIT specialises each generic instantiation for its struct,
/// so the operator inlines into the loop. The tail (fewer elements than a vector) goes through a small stack buffer
/// so that every element sees the same vector code, and the destination may be the same span as a source.
/// </summary>
internal static class ElementwiseDriver
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryVectorOp
    {
        int n = x.Length;
        if (y.Length < n) ThrowLength(nameof(y), y.Length, n);
        int w = Vector<float>.Count;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (TOp.Unroll)
        {
            for (; i <= n - 4 * w; i += 4 * w)
        {
                var x0 = Vector.LoadUnsafe(ref px, (nuint)i);
                var x1 = Vector.LoadUnsafe(ref px, (nuint)(i + w));
                var x2 = Vector.LoadUnsafe(ref px, (nuint)(i + 2 * w));
                var x3 = Vector.LoadUnsafe(ref px, (nuint)(i + 3 * w));
                op.Invoke(x0).StoreUnsafe(ref py, (nuint)i);
                op.Invoke(x1).StoreUnsafe(ref py, (nuint)(i + w));
                op.Invoke(x2).StoreUnsafe(ref py, (nuint)(i + 2 * w));
                op.Invoke(x3).StoreUnsafe(ref py, (nuint)(i + 3 * w));
            }
        }
        for (; i <= n - w; i += w)
        {
            op.Invoke(Vector.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        if (i < n)
        {
            Span<float> buf = stackalloc float[Vector<float>.Count];
            buf.Clear();
            x[i..n].CopyTo(buf);
            var r = op.Invoke(new Vector<float>(buf));
            r.CopyTo(buf);
            buf[..(n - i)].CopyTo(y[i..n]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d)
        where TOp : struct, IBinaryVectorOp
    {
        int n = a.Length;
        if (b.Length < n) ThrowLength("second input", b.Length, n);
        if (d.Length < n) ThrowLength("destination", d.Length, n);
        int w = Vector<float>.Count;
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float pd = ref MemoryMarshal.GetReference(d);
        int i = 0;
        if (TOp.Unroll)
        {
            for (; i <= n - 2 * w; i += 2 * w)
            {
                var a0 = Vector.LoadUnsafe(ref pa, (nuint)i);
                var b0 = Vector.LoadUnsafe(ref pb, (nuint)i);
                var a1 = Vector.LoadUnsafe(ref pa, (nuint)(i + w));
                var b1 = Vector.LoadUnsafe(ref pb, (nuint)(i + w));
                op.Invoke(a0, b0).StoreUnsafe(ref pd, (nuint)i);
                op.Invoke(a1, b1).StoreUnsafe(ref pd, (nuint)(i + w));
            }
        }
        for (; i <= n - w; i += w)
        {
            op.Invoke(Vector.LoadUnsafe(ref pa, (nuint)i), Vector.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }
        if (i < n)
        {
            int rest = n - i;
            Span<float> buf = stackalloc float[2 * Vector<float>.Count];
            buf.Clear();
            var ba = buf[..w];
            var bb = buf.Slice(w, w);
            a[i..n].CopyTo(ba);
            b.Slice(i, rest).CopyTo(bb);
            var r = op.Invoke(new Vector<float>(ba), new Vector<float>(bb));
            r.CopyTo(ba);
            ba[..rest].CopyTo(d.Slice(i, rest));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> d)
        where TOp : struct, ITernaryVectorOp
    {
        int n = a.Length;
        if (b.Length < n) ThrowLength("second input", b.Length, n);
        if (c.Length < n) ThrowLength("third input", c.Length, n);
        if (d.Length < n) ThrowLength("destination", d.Length, n);
        int w = Vector<float>.Count;
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float pc = ref MemoryMarshal.GetReference(c);
        ref float pd = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i <= n - w; i += w)
        {
            op.Invoke(Vector.LoadUnsafe(ref pa, (nuint)i), Vector.LoadUnsafe(ref pb, (nuint)i), Vector.LoadUnsafe(ref pc, (nuint)i))
                .StoreUnsafe(ref pd, (nuint)i);
        }
        if (i < n)
        {
            int rest = n - i;
            Span<float> buf = stackalloc float[3 * Vector<float>.Count];
            // Pad the divisor-like lanes with 1 rather than 0 so that unused lanes cannot raise NaN noise.
            buf.Fill(1f);
            var ba = buf[..w];
            var bb = buf.Slice(w, w);
            var bc = buf.Slice(2 * w, w);
            a[i..n].CopyTo(ba);
            b.Slice(i, rest).CopyTo(bb);
            c.Slice(i, rest).CopyTo(bc);
            var r = op.Invoke(new Vector<float>(ba), new Vector<float>(bb), new Vector<float>(bc));
            r.CopyTo(ba);
            ba[..rest].CopyTo(d.Slice(i, rest));
        }
    }

    private static void ThrowLength(string what, int actual, int expected) =>
        throw new ArgumentException($"The {what} span has {actual} elements but {expected} are needed.");
}
