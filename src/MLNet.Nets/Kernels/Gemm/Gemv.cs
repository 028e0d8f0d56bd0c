using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Matrix-vector products, for SGEMM calls with one row or one column of C (Dense layers on a single sample,
/// Jacobian-vector products): a register tile would waste all but one of its columns there.
/// </summary>
internal static unsafe class Gemv
{
    [ThreadStatic] private static AlignedBuffer? _scratch;

    private struct RowsBody(float* mat, nint ld, float* x, int cols, float* y, nint incy, float alpha, float beta, int rows, int chunks) : IParallelBody
    {
        public readonly void Invoke(int index)
        {
            int r0 = (int)((long)index * rows / chunks), r1 = (int)((long)(index + 1) * rows / chunks);
            DotRows(mat, ld, x, cols, y, incy, alpha, beta, r0, r1);
        }
    }

    /// <summary>
    /// y[i·incy] = alpha · Σₚ M(i, p) · x[p·incx] + beta · y[i·incy] for i &lt; rows, where M(i, p) is
    /// mat[i·ld + p], or mat[p·ld + i] when <paramref name="trans"/>. beta = 0 never reads y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool trans, int rows, int cols, float alpha, float* mat, nint ld, float* x, nint incx, float beta, float* y, nint incy)
    {
        _scratch ??= new AlignedBuffer();
        if (!trans)
        {
            if (incx != 1)
            {
                float* packed = _scratch.Get(cols);
                for (int p = 0; p < cols; p++) packed[p] = x[p * incx];
                x = packed;
            }
            long work = (long)rows * cols;
            int chunks = work < 256 * 1024 ? 1 : Math.Min(rows, 4 * ParallelKernels.DegreeOfParallelism);
            if (chunks == 1) DotRows(mat, ld, x, cols, y, incy, alpha, beta, 0, rows);
            else ParallelKernels.For(chunks, new RowsBody(mat, ld, x, cols, y, incy, alpha, beta, rows, chunks));
            return;
        }

        // y accumulates Σₚ x[p] · (row p of mat), one contiguous axpy per row.
        float* acc = _scratch.Get(rows);
        var accSpan = new Span<float>(acc, rows);
        accSpan.Clear();
        for (int p = 0; p < cols; p++)
        {
            float xp = x[p * incx];
            if (xp != 0) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(mat + p * ld, rows), xp, accSpan, accSpan);
        }
        for (int i = 0; i < rows; i++)
        {
            float* yi = y + i * incy;
            *yi = beta == 0 ? alpha * acc[i] : alpha * acc[i] + beta * *yi;
        }
    }

    private static void DotRows(float* mat, nint ld, float* x, int cols, float* y, nint incy, float alpha, float beta, int r0, int r1)
    {
        var xs = new ReadOnlySpan<float>(x, cols);
        for (int i = r0; i < r1; i++)
        {
            float dot = TensorPrimitives.Dot(new ReadOnlySpan<float>(mat + i * ld, cols), xs);
            float* yi = y + i * incy;
            *yi = beta == 0 ? alpha * dot : alpha * dot + beta * *yi;
        }
    }
}
