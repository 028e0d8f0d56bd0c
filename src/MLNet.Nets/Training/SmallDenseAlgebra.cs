using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Nets.Training;

/// <summary>
/// Double-precision linear algebra for the small systems of second-order training: dot products, the Gram matrix
/// JᵀJ of a Jacobian and the Cholesky solve of (JᵀJ + μI)δ = Jᵀe. Sizes are the network's parameter count (tens to a
/// few thousands), where these single-threaded SIMD loops beat any packing a general GEMM would do.
/// </summary>
internal static unsafe class SmallDenseAlgebra
{
    /// <summary>Rounds up to a multiple of 4 (the padding of Jacobian rows and Gram strides).</summary>
    public static int Pad4(int n) => (n + 3) & ~3;

    /// <summary>Σ a[i]·b[i] over the shorter length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = Math.Min(a.Length, b.Length);
        fixed (double* pa = a, pb = b) return Dot(pa, pb, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Dot(double* a, double* b, int n)
    {
        int i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                s0 = Fmadd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
                s1 = Fmadd(Vector256.Load(a + i + 4), Vector256.Load(b + i + 4), s1);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// h = jt·jtᵀ: h[a, b] = Σ_r jt[a, r]·jt[b, r] for a, b &lt; <paramref name="p"/>, full symmetric result.
    /// </summary>
    /// <param name="jt">The transposed Jacobian, <c>Pad4(p)</c> rows of <paramref name="stride"/> doubles; padding rows and
    /// columns must be zero.</param>
    /// <param name="p">Number of parameters (rows of jt that matter).</param>
    /// <param name="stride">Row stride of jt, a multiple of 4 (the error count rounded up).</param>
    /// <param name="h">Output, at least <c>Pad4(p)</c> rows of <paramref name="hs"/> doubles.</param>
    /// <param name="hs">Row stride of h, at least <c>Pad4(p)</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gram(double[] jt, int p, int stride, double[] h, int hs)
    {
        int pp = Pad4(p);
        if (jt.Length < pp * stride || h.Length < pp * hs || (stride & 3) != 0 || hs < pp)
        {
            throw new ArgumentException("Gram: buffers too small or stride not padded.");
        }
        fixed (double* pj = jt, ph = h)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                // 2 rows × 4 columns of h per block: 8 accumulators, 6 loads per 8 FMAs.
                for (int a = 0; a < pp; a += 2)
                {
                    double* r0 = pj + (long)a * stride;
                    double* r1 = r0 + stride;
                    for (int b = a & ~3; b < pp; b += 4)
                    {
                        double* c0 = pj + (long)b * stride;
                        double* c1 = c0 + stride;
                        double* c2 = c1 + stride;
                        double* c3 = c2 + stride;
                        var s00 = Vector256<double>.Zero; var s01 = Vector256<double>.Zero;
                        var s02 = Vector256<double>.Zero; var s03 = Vector256<double>.Zero;
                        var s10 = Vector256<double>.Zero; var s11 = Vector256<double>.Zero;
                        var s12 = Vector256<double>.Zero; var s13 = Vector256<double>.Zero;
                        for (int r = 0; r < stride; r += 4)
                        {
                            var x0 = Vector256.Load(r0 + r);
                            var x1 = Vector256.Load(r1 + r);
                            var y = Vector256.Load(c0 + r);
                            s00 = Fmadd(x0, y, s00); s10 = Fmadd(x1, y, s10);
                            y = Vector256.Load(c1 + r);
                            s01 = Fmadd(x0, y, s01); s11 = Fmadd(x1, y, s11);
                            y = Vector256.Load(c2 + r);
                            s02 = Fmadd(x0, y, s02); s12 = Fmadd(x1, y, s12);
                            y = Vector256.Load(c3 + r);
                            s03 = Fmadd(x0, y, s03); s13 = Fmadd(x1, y, s13);
                        }
                        double* h0 = ph + (long)a * hs + b;
                        double* h1 = h0 + hs;
                        h0[0] = Vector256.Sum(s00); h0[1] = Vector256.Sum(s01); h0[2] = Vector256.Sum(s02); h0[3] = Vector256.Sum(s03);
                        h1[0] = Vector256.Sum(s10); h1[1] = Vector256.Sum(s11); h1[2] = Vector256.Sum(s12); h1[3] = Vector256.Sum(s13);
                    }
                }
            }
            else
            {
                for (int a = 0; a < p; a++)
                {
                    for (int b = a; b < p; b++)
                    {
                        ph[(long)a * hs + b] = Dot(pj + (long)a * stride, pj + (long)b * stride, stride);
                    }
                }
            }
            for (int a = 0; a < p; a++)
            {
                for (int b = a + 1; b < p; b++) ph[(long)b * hs + a] = ph[(long)a * hs + b];
            }
        }
    }

    /// <summary>
    /// Lower Cholesky factor l of (a + shift·I), a symmetric n×n (row stride <paramref name="stride"/>; only the lower
    /// triangle is read). Returns false when the matrix is not numerically positive definite.
    /// </summary>
    /// <remarks>Column by column (Crout order); the column's entries below the diagonal are four dot products per pass
    /// over the shared row j, which halves the loads of the row-by-row form.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Cholesky(double[] a, int n, int stride, double shift, double[] l)
    {
        fixed (double* pa = a, pl = l)
        {
            for (int j = 0; j < n; j++)
            {
                double* lj = pl + (long)j * stride;
                double d = pa[(long)j * stride + j] + shift - Dot(lj, lj, j);
                if (!(d > 0) || double.IsInfinity(d)) return false;
                double ljj = Math.Sqrt(d);
                lj[j] = ljj;
                double inv = 1 / ljj;
                int i = j + 1;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; i + 3 < n; i += 4)
                    {
                        double* l0 = pl + (long)i * stride;
                        double* l1 = l0 + stride;
                        double* l2 = l1 + stride;
                        double* l3 = l2 + stride;
                        var s0 = Vector256<double>.Zero; var s1 = Vector256<double>.Zero;
                        var s2 = Vector256<double>.Zero; var s3 = Vector256<double>.Zero;
                        int c = 0;
                        for (; c <= j - 4; c += 4)
                        {
                            var v = Vector256.Load(lj + c);
                            s0 = Fmadd(Vector256.Load(l0 + c), v, s0);
                            s1 = Fmadd(Vector256.Load(l1 + c), v, s1);
                            s2 = Fmadd(Vector256.Load(l2 + c), v, s2);
                            s3 = Fmadd(Vector256.Load(l3 + c), v, s3);
                        }
                        double t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
                        for (; c < j; c++)
                        {
                            double v = lj[c];
                            t0 += l0[c] * v; t1 += l1[c] * v; t2 += l2[c] * v; t3 += l3[c] * v;
                        }
                        long col = j;
                        l0[col] = (pa[(long)i * stride + col] - t0) * inv;
                        l1[col] = (pa[(long)(i + 1) * stride + col] - t1) * inv;
                        l2[col] = (pa[(long)(i + 2) * stride + col] - t2) * inv;
                        l3[col] = (pa[(long)(i + 3) * stride + col] - t3) * inv;
                    }
                }
                for (; i < n; i++)
                {
                    double* li = pl + (long)i * stride;
                    li[j] = (pa[(long)i * stride + j] - Dot(li, lj, j)) * inv;
                }
            }
        }
        return true;
    }

    /// <summary>Solves l·lᵀ·x = b for the factor from <see cref="Cholesky"/>; <paramref name="x"/> may alias b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CholeskySolve(double[] l, int n, int stride, ReadOnlySpan<double> b, Span<double> x)
    {
        fixed (double* pl = l)
        {
            for (int i = 0; i < n; i++)
            {
                double* li = pl + (long)i * stride;
                double s = b[i];
                for (int j = 0; j < i; j++) s -= li[j] * x[j];
                x[i] = s / li[i];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = x[i];
                for (int j = i + 1; j < n; j++) s -= pl[(long)j * stride + i] * x[j];
                x[i] = s / pl[(long)i * stride + i];
            }
        }
    }

    /// <summary>tr((l·lᵀ)⁻¹) = ‖l⁻¹‖²_F for the factor from <see cref="Cholesky"/>; <paramref name="scratch"/> holds n doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double InverseTrace(double[] l, int n, int stride, double[] scratch)
    {
        double trace = 0;
        fixed (double* pl = l, y = scratch)
        {
            for (int c = 0; c < n; c++)
            {
                // Column c of l⁻¹: zero above row c.
                for (int i = c; i < n; i++)
                {
                    double* li = pl + (long)i * stride;
                    double s = i == c ? 1 : -Dot(li + c, y + c, i - c);
                    double v = s / li[i];
                    y[i] = v;
                    trace += v * v;
                }
            }
        }
        return trace;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fmadd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
