using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Log-softmax over the rows of a row-major [rows, cols] matrix: y[r, j] = x[r, j] − m_r − ln Σ_k exp(x[r, k] − m_r),
/// with m_r the row maximum — stable for any logits (no overflow, no log of 0).
/// </summary>
public static class LogSoftmax
{
    /// <summary>Computes the row-wise log-softmax.</summary>
    /// <param name="x">Input [rows, cols], row-major.</param>
    /// <param name="y">Output [rows, cols]; may be the same span as <paramref name="x"/>.</param>
    /// <param name="rows">Number of rows (≥ 0).</param>
    /// <param name="cols">Number of columns (≥ 1 when rows &gt; 0).</param>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        Softmax.CheckSizes(x.Length, y.Length, rows, cols, "x", "y");
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            float logSum = MathF.Log(SumExp(yr));
            TensorPrimitives.Subtract(yr, logSum, yr);
        }
    }

    /// <summary>dx[r, j] = dy[r, j] − exp(y[r, j])·Σ_k dy[r, k], the gradient through the row-wise log-softmax.</summary>
    /// <param name="y">The forward output (log-probabilities) [rows, cols].</param>
    /// <param name="dy">dLoss/dy [rows, cols].</param>
    /// <param name="dx">dLoss/dx [rows, cols], written; may be the same span as <paramref name="dy"/> or <paramref name="y"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        Softmax.CheckSizes(y.Length, dy.Length, rows, cols, "y", "dy");
        Softmax.CheckSizes(y.Length, dx.Length, rows, cols, "y", "dx");
        for (int r = 0; r < rows; r++)
        {
            var dyr = dy.Slice(r * cols, cols);
            float sum = TensorPrimitives.Sum(dyr);
            ElementwiseDriver.Map(new GradOp(sum), y.Slice(r * cols, cols), dyr, dx.Slice(r * cols, cols));
        }
    }

    /// <summary>Σ exp(v) without writing anything.</summary>
    private static float SumExp(ReadOnlySpan<float> v)
    {
        int w = Vector<float>.Count;
        ref float p = ref MemoryMarshal.GetReference(v);
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= v.Length - w; i += w) acc += VectorMath.Exp(Vector.LoadUnsafe(ref p, (nuint)i));
        float sum = Vector.Sum(acc);
        for (; i < v.Length; i++) sum += MathF.Exp(v[i]);
        return sum;
    }

    private readonly struct GradOp(float sum) : IBinaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> y, Vector<float> dy) => dy - VectorMath.Exp(y) * sum;
    }
}
