using System.Numerics.Tensors;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Softmax over the rows of a row-major [rows, cols] matrix: y[r, j] = exp(x[r, j] − m_r) / Σ_k exp(x[r, k] − m_r),
/// with m_r the row maximum so that no exponential overflows.
/// </summary>
/// <remarks>For logits of a classifier, rows are samples and cols are classes. See <see cref="LogSoftmax"/> for log-probabilities.</remarks>
public static class Softmax
{
    /// <summary>Computes the row-wise softmax.</summary>
    /// <param name="x">Input [rows, cols], row-major.</param>
    /// <param name="y">Output [rows, cols]; may be the same span as <paramref name="x"/>.</param>
    /// <param name="rows">Number of rows (≥ 0).</param>
    /// <param name="cols">Number of columns (≥ 1 when rows &gt; 0).</param>
    /// <exception cref="ArgumentException">A span's length is not rows·cols.</exception>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckSizes(x.Length, y.Length, rows, cols, "x", "y");
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            float sum = TensorPrimitives.Sum(yr);
            TensorPrimitives.Multiply(yr, 1f / sum, yr);
        }
    }

    /// <summary>dx[r, j] = y[r, j]·(dy[r, j] − Σ_k dy[r, k]·y[r, k]), the gradient through the row-wise softmax.</summary>
    /// <param name="y">The forward output [rows, cols].</param>
    /// <param name="dy">dLoss/dy [rows, cols].</param>
    /// <param name="dx">dLoss/dx [rows, cols], written; may be the same span as <paramref name="dy"/> (not as <paramref name="y"/>).</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        CheckSizes(y.Length, dy.Length, rows, cols, "y", "dy");
        CheckSizes(y.Length, dx.Length, rows, cols, "y", "dx");
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * cols, cols);
            var dyr = dy.Slice(r * cols, cols);
            var dxr = dx.Slice(r * cols, cols);
            float dot = TensorPrimitives.Dot(dyr, yr);
            TensorPrimitives.Subtract(dyr, dot, dxr);
            TensorPrimitives.Multiply(dxr, yr, dxr);
        }
    }

    internal static void CheckSizes(int aLength, int bLength, int rows, int cols, string a, string b)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"rows must be ≥ 0 but is {rows}.");
        if (cols < 1 && rows > 0) throw new ArgumentOutOfRangeException(nameof(cols), $"cols must be ≥ 1 but is {cols}.");
        long n = (long)rows * cols;
        if (aLength != n) throw new ArgumentException($"{a} has {aLength} elements but [{rows}, {cols}] needs {n}.", a);
        if (bLength != n) throw new ArgumentException($"{b} has {bLength} elements but [{rows}, {cols}] needs {n}.", b);
    }
}
