using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Nets.Training;

/// <summary>
/// Element-wise double-precision loops of the BP trainers. Small, non-generic and compiled fully optimised on first
/// call: a one-shot training in a fresh process (a CLI run) then neither waits for the JIT to compile the large
/// generic TensorPrimitives kernels (≈ 0.25 s on this machine) nor runs them unoptimised while tiering catches up.
/// </summary>
internal static class DoubleVectorOps
{
    /// <summary>y[i] += a·x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = y.Length, i = 0;
        ref double px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x.Slice(0, n));
        ref double py = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i <= n - 4; i += 4)
            {
                var r = Vector256.LoadUnsafe(ref py, (nuint)i) + va * Vector256.LoadUnsafe(ref px, (nuint)i);
                r.StoreUnsafe(ref py, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref py, i) += a * Unsafe.Add(ref px, i);
    }

    /// <summary>z[i] = x[i]·y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        int n = z.Length, i = 0;
        ref double px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x.Slice(0, n));
        ref double py = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y.Slice(0, n));
        ref double pz = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref px, (nuint)i) * Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref pz, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref pz, i) = Unsafe.Add(ref px, i) * Unsafe.Add(ref py, i);
    }

    /// <summary>z[i] = a·x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(double a, ReadOnlySpan<double> x, Span<double> z)
    {
        int n = z.Length, i = 0;
        ref double px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x.Slice(0, n));
        ref double pz = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i <= n - 4; i += 4) (va * Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref pz, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref pz, i) = a * Unsafe.Add(ref px, i);
    }

    /// <summary>z[i] = x[i] − y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        int n = z.Length, i = 0;
        ref double px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x.Slice(0, n));
        ref double py = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y.Slice(0, n));
        ref double pz = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref px, (nuint)i) - Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref pz, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref pz, i) = Unsafe.Add(ref px, i) - Unsafe.Add(ref py, i);
    }

    /// <summary>Σ x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>a[i] = tanh(z[i]) = 1 − 2/(e^{2z} + 1), with the exponential vectorised; exact limits ±1 for large |z|.</summary>
    public static void Tanh(ReadOnlySpan<double> z, Span<double> a)
    {
        Scale(2, z, a);
        Exp(a);
        TanhFromExp(a);
    }

    /// <summary>a[i] = 1/(1 + e^{−z[i]}).</summary>
    public static void Sigmoid(ReadOnlySpan<double> z, Span<double> a)
    {
        Scale(-1, z, a);
        Exp(a);
        SigmoidFromExp(a);
    }

    /// <summary>
    /// a[i] = e^{a[i]} in place: e^x = 2^k·e^r with k = round(x/ln 2), r = x − k·ln 2 (two-part ln 2), |r| ≤ ln2/2,
    /// e^r by its Taylor series to degree 12 (truncation below 2e-16 relative). Inputs are clamped to [−708, 709]; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(Span<double> a)
    {
        const double Ln2Hi = 0.693147180369123816490, Ln2Lo = 1.90821492927058770002e-10, InvLn2 = 1.44269504088896338700;
        int n = a.Length, i = 0;
        ref double p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        if (Vector256.IsHardwareAccelerated)
        {
            var lo = Vector256.Create(-708.0);
            var hi = Vector256.Create(709.0);
            for (; i <= n - 4; i += 4)
            {
                var input = Vector256.LoadUnsafe(ref p, (nuint)i);
                var x = Vector256.Min(Vector256.Max(input, lo), hi);
                var k = Vector256.Round(x * InvLn2);
                var r = x - k * Ln2Hi - k * Ln2Lo;
                var e = Vector256.Create(1.0 / 479001600);
                e = e * r + Vector256.Create(1.0 / 39916800);
                e = e * r + Vector256.Create(1.0 / 3628800);
                e = e * r + Vector256.Create(1.0 / 362880);
                e = e * r + Vector256.Create(1.0 / 40320);
                e = e * r + Vector256.Create(1.0 / 5040);
                e = e * r + Vector256.Create(1.0 / 720);
                e = e * r + Vector256.Create(1.0 / 120);
                e = e * r + Vector256.Create(1.0 / 24);
                e = e * r + Vector256.Create(1.0 / 6);
                e = e * r + Vector256.Create(0.5);
                e = e * r + Vector256<double>.One;
                e = e * r + Vector256<double>.One;
                var scale = Vector256.ShiftLeft(Vector256.ConvertToInt64(k) + Vector256.Create(1023L), 52).AsDouble();
                // NaN in, NaN out (the clamp would otherwise turn it into a number and hide a diverged weight).
                Vector256.ConditionalSelect(Vector256.Equals(input, input), e * scale, input).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref p, i) = Math.Exp(Unsafe.Add(ref p, i));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TanhFromExp(Span<double> a)
    {
        for (int i = 0; i < a.Length; i++) a[i] = 1 - 2 / (a[i] + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SigmoidFromExp(Span<double> a)
    {
        for (int i = 0; i < a.Length; i++) a[i] = 1 / (1 + a[i]);
    }
}
