using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Nets.Kernels;

/// <summary>Single-precision general matrix multiply on row-major matrices.</summary>
/// <remarks>
/// A packed, cache-blocked implementation with register-tile micro-kernels for AVX-512 (8×32), AVX2 + FMA (6×16)
/// and a portable <see cref="System.Numerics.Vector{T}"/> fallback, chosen at startup from what the processor
/// supports (<c>DOTNET_EnableAVX512=0</c> turns the AVX-512 kernel off). Large products use all
/// <see cref="ParallelKernels.DegreeOfParallelism"/> threads; small ones and single-row or single-column ones
/// avoid threading and packing overheads. Pack buffers are pooled per thread, so steady-state calls allocate nothing.
/// </remarks>
public static unsafe class Gemm
{
    private static readonly GemmPath DetectedPath =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmPath.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2
        : GemmPath.Portable;

    private static GemmPath? _forcedPath;

    /// <summary>The micro-kernel the next call will use: the best supported one unless a test forced another.</summary>
    internal static GemmPath Path => _forcedPath ?? DetectedPath;

    /// <summary>Forces a micro-kernel (tests run every path on one machine); null restores the detected one.</summary>
    /// <exception cref="PlatformNotSupportedException">The processor cannot run <paramref name="path"/>.</exception>
    internal static void ForcePath(GemmPath? path)
    {
        if (path is { } p && !IsSupported(p))
        {
            throw new PlatformNotSupportedException($"The {p} SGEMM kernel needs instructions this processor lacks.");
        }
        _forcedPath = path;
    }

    /// <summary>Whether this processor (and runtime configuration) can run <paramref name="path"/>.</summary>
    internal static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Avx512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        GemmPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C, all row-major. op(A) is m×k, op(B) is k×n, C is m×n.
    /// </summary>
    /// <param name="transA">When true, A is stored k×m and op(A) = Aᵀ.</param>
    /// <param name="transB">When true, B is stored n×k and op(B) = Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's elements.</param>
    /// <param name="lda">Row stride of A as stored (≥ its column count).</param>
    /// <param name="b">B's elements.</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="beta">Scale of C's old value; 0 means C is only written (its old content may be NaN).</param>
    /// <param name="c">C's elements.</param>
    /// <param name="ldc">Row stride of C.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a stride is smaller than its row length.</exception>
    /// <exception cref="ArgumentException">A span is too short for the matrix its sizes and stride describe.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix("A", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda));
        CheckMatrix("B", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        CheckMatrix("C", c.Length, m, n, ldc, nameof(ldc));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                ScaleC(m, n, beta, pc, ldc);
            }
            else if (n == 1)
            {
                // C's column = op(A) · (op(B)'s column).
                Gemv.Run(transA, m, k, alpha, pa, lda, pb, transB ? 1 : ldb, beta, pc, ldc);
            }
            else if (m == 1)
            {
                // C's row, as a column, = op(B)ᵀ · (op(A)'s row).
                Gemv.Run(!transB, n, k, alpha, pb, ldb, pa, transA ? lda : 1, beta, pc, 1);
            }
            else
            {
                GemmDriver.Run(GemmDriver.KernelFor(Path), transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
        }
    }

    private static void ScaleC(int m, int n, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    private static void CheckMatrix(string name, int length, int rows, int cols, int ld, string ldName)
    {
        if (ld < cols || ld < 0)
        {
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"Row stride of {name} must be at least its stored column count {cols}.");
        }
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{name} is stored as {rows}×{cols} with row stride {ld}, which needs {needed} elements, but its span has {length}.",
                name.ToLowerInvariant());
        }
    }
}
