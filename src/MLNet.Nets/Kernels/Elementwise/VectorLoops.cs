using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.Nets.Kernels;

/// <summary>Small vectorised reductions the normalisation and merge kernels share.</summary>
internal static class VectorLoops
{
    /// <summary>Σ (x − mean)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SumSquaredDeviation(ReadOnlySpan<float> x, float mean)
    {
        int w = Vector<float>.Count;
        ref float px = ref MemoryMarshal.GetReference(x);
        var m = new Vector<float>(mean);
        Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - 2 * w; i += 2 * w)
        {
            var d0 = Vector.LoadUnsafe(ref px, (nuint)i) - m;
            var d1 = Vector.LoadUnsafe(ref px, (nuint)(i + w)) - m;
            acc0 += d0 * d0;
            acc1 += d1 * d1;
        }
        float sum = Vector.Sum(acc0 + acc1);
        for (; i < x.Length; i++)
        {
            float d = x[i] - mean;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>Σ dy·(x − mean), computed without the cancellation of Σ dy·x − mean·Σ dy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SumProductCentered(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float mean)
    {
        int w = Vector<float>.Count;
        ref float pd = ref MemoryMarshal.GetReference(dy);
        ref float px = ref MemoryMarshal.GetReference(x);
        var m = new Vector<float>(mean);
        Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - 2 * w; i += 2 * w)
        {
            acc0 += Vector.LoadUnsafe(ref pd, (nuint)i) * (Vector.LoadUnsafe(ref px, (nuint)i) - m);
            acc1 += Vector.LoadUnsafe(ref pd, (nuint)(i + w)) * (Vector.LoadUnsafe(ref px, (nuint)(i + w)) - m);
        }
        float sum = Vector.Sum(acc0 + acc1);
        for (; i < x.Length; i++) sum += dy[i] * (x[i] - mean);
        return sum;
    }
}
