using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

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
            float sum = ExpShiftedAndSum(xr, yr, max);
            TensorPrimitives.Multiply(yr, 1f / sum, yr);
        }
    }

    /// <summary>dx[r, j] = y[r, j]·(dy[r, j] − Σ_k dy[r, k]·y[r, k]), the gradient through the row-wise softmax.</summary>
    /// <param name="y">The forward output [rows, cols].</param>
    /// <param name="dy">dLoss/dy [rows, cols].</param>
    /// <param name="dx">dLoss/dx [rows, cols], written; may be the same span as <paramref name="dy"/> or <paramref name="y"/>.</param>
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
            ElementwiseDriver.Map(new GradOp(dot), dyr, yr, dxr);
        }
    }

    /// <summary>y = e^(x − shift), returning Σ y, in one pass.</summary>
    private static float ExpShiftedAndSum(ReadOnlySpan<float> x, Span<float> y, float shift)
    {
        int w = Vector<float>.Count;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        var vs = new Vector<float>(shift);
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - w; i += w)
        {
            var e = VectorMath.Exp(Vector.LoadUnsafe(ref px, (nuint)i) - vs);
            e.StoreUnsafe(ref py, (nuint)i);
            acc += e;
        }
        if (i < x.Length)
        {
            // Pad the tail with −∞, whose exponential is 0, so that the padding adds nothing to the sum.
            Span<float> buf = stackalloc float[Vector<float>.Count];
            buf.Fill(float.NegativeInfinity);
            x[i..].CopyTo(buf);
            var e = VectorMath.Exp(new Vector<float>(buf) - vs);
            acc += e;
            e.CopyTo(buf);
            buf[..(x.Length - i)].CopyTo(y[i..]);
        }
        return Vector.Sum(acc);
    }

    /// <summary>(dy − dot)·y.</summary>
    private readonly struct GradOp(float dot) : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> dy, Vector<float> y) => (dy - new Vector<float>(dot)) * y;
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
