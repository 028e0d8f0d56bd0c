using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tensor = MLNet.Nets.Tensors.Tensor;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Element-wise add, subtract, multiply and divide with numpy broadcasting, and their backward passes, which sum the
/// gradient over the broadcast axes.
/// </summary>
/// <remarks>
/// Shapes are aligned on the right; two dimensions are compatible when equal or when one is 1, and the result takes the
/// larger. E.g. [N, C, H, W] · [N, C, 1, 1] → [N, C, H, W]; [N, F] + [F] → [N, F]. Up to 8 dimensions.
/// </remarks>
public static class Broadcast
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">A pair of dimensions is neither equal nor 1; the message names both shapes.</exception>
    public static int[] ResultShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var result = new int[Math.Max(a.Length, b.Length)];
        FillResultShape(a, b, result);
        return result;
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> broadcast together.</summary>
    public static bool AreCompatible(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
        {
            int x = a[^i], y = b[^i];
            if (x != y && x != 1 && y != 1) return false;
        }
        return true;
    }

    /// <summary>result = a ∘ b with broadcasting.</summary>
    /// <param name="operation">The operation ∘.</param>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <param name="result">Output with the broadcast shape; may be <paramref name="a"/> or <paramref name="b"/> when it already has that shape.</param>
    /// <exception cref="ArgumentException">The shapes do not broadcast or <paramref name="result"/> has the wrong shape.</exception>
    public static void Forward(BinaryOperation operation, Tensor a, Tensor b, Tensor result)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(result);
        CheckResult(a.Shape, b.Shape, result.Shape, "result");
        var it = new BroadcastIterator(a.Shape, b.Shape, result.Shape);
        ReadOnlySpan<float> sa = a.Span, sb = b.Span;
        var so = result.Span;
        int len = it.InnerLength;
        bool aRow = it.InnerStrideA == 1, bRow = it.InnerStrideB == 1;
        for (int r = 0; r < it.Rows; r++, it.Advance())
        {
            var o = so.Slice(r * len, len);
            if (aRow && bRow) ApplySpanSpan(operation, sa.Slice(it.OffsetA, len), sb.Slice(it.OffsetB, len), o);
            else if (aRow) ApplySpanScalar(operation, sa.Slice(it.OffsetA, len), sb[it.OffsetB], o);
            else if (bRow) ApplyScalarSpan(operation, sa[it.OffsetA], sb.Slice(it.OffsetB, len), o);
            else o.Fill(Apply(operation, sa[it.OffsetA], sb[it.OffsetB]));
        }
    }

    /// <summary>
    /// Gradients of <c>y = a ∘ b</c>: da = Σ dy·∂y/∂a and db = Σ dy·∂y/∂b, summed over the axes each operand was
    /// broadcast along, so that da has a's shape and db has b's.
    /// </summary>
    /// <param name="operation">The forward operation.</param>
    /// <param name="a">The forward left operand (read by Multiply and Divide).</param>
    /// <param name="b">The forward right operand (read by Multiply and Divide).</param>
    /// <param name="dy">dLoss/dy with the broadcast shape.</param>
    /// <param name="da">dLoss/da with a's shape, overwritten; null to skip.</param>
    /// <param name="db">dLoss/db with b's shape, overwritten; null to skip.</param>
    public static void Backward(BinaryOperation operation, Tensor a, Tensor b, Tensor dy, Tensor? da, Tensor? db)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(dy);
        CheckResult(a.Shape, b.Shape, dy.Shape, "dy");
        if (da is not null && !da.HasShape(a.Shape)) throw new ArgumentException($"Broadcast backward: da has shape {da.ShapeString} but a has {a.ShapeString}.", nameof(da));
        if (db is not null && !db.HasShape(b.Shape)) throw new ArgumentException($"Broadcast backward: db has shape {db.ShapeString} but b has {b.ShapeString}.", nameof(db));
        if (da is not null) GradientOfLeft(operation, a, b, dy, da);
        if (db is not null) GradientOfRight(operation, a, b, dy, db);
    }

    /// <summary>
    /// Sums <paramref name="source"/> over the axes along which <paramref name="destination"/>'s shape broadcasts to it
    /// (the backward of broadcasting). The destination is overwritten.
    /// </summary>
    public static void SumToShape(Tensor source, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        CheckResult(destination.Shape, source.Shape, source.Shape, "source");
        if (destination.HasShape(source.Shape))
        {
            source.CopyTo(destination);
            return;
        }
        var it = new BroadcastIterator(destination.Shape, source.Shape, source.Shape);
        ReadOnlySpan<float> s = source.Span;
        var d = destination.Span;
        d.Clear();
        int len = it.InnerLength;
        for (int r = 0; r < it.Rows; r++, it.Advance())
        {
            var row = s.Slice(r * len, len);
            if (it.InnerStrideA == 1)
            {
                var dr = d.Slice(it.OffsetA, len);
                TensorPrimitives.Add(dr, row, dr);
            }
            else
            {
                d[it.OffsetA] += TensorPrimitives.Sum(row);
            }
        }
    }

    private static void GradientOfLeft(BinaryOperation operation, Tensor a, Tensor b, Tensor dy, Tensor da)
    {
        if (operation is BinaryOperation.Add or BinaryOperation.Subtract)
        {
            SumToShape(dy, da);
            return;
        }
        var it = new BroadcastIterator(a.Shape, b.Shape, dy.Shape);
        ReadOnlySpan<float> sb = b.Span, sdy = dy.Span;
        var sda = da.Span;
        int len = it.InnerLength;
        bool aRow = it.InnerStrideA == 1, bRow = it.InnerStrideB == 1;
        bool divide = operation == BinaryOperation.Divide;
        // When a is not broadcast every element of da is written exactly once: write instead of clearing and accumulating.
        bool direct = a.HasShape(dy.Shape);
        if (!direct) sda.Clear();
        for (int r = 0; r < it.Rows; r++, it.Advance())
        {
            var g = sdy.Slice(r * len, len);
            if (direct)
            {
                var d = sda.Slice(it.OffsetA, len);
                if (bRow)
                {
                    if (divide) TensorPrimitives.Divide(g, sb.Slice(it.OffsetB, len), d);
                    else TensorPrimitives.Multiply(g, sb.Slice(it.OffsetB, len), d);
                }
                else
                {
                    TensorPrimitives.Multiply(g, divide ? 1f / sb[it.OffsetB] : sb[it.OffsetB], d);
                }
            }
            else if (aRow)
            {
                var d = sda.Slice(it.OffsetA, len);
                if (bRow)
                {
                    if (divide) ElementwiseDriver.Map(new AddQuotientOp(), g, sb.Slice(it.OffsetB, len), d, d);
                    else TensorPrimitives.FusedMultiplyAdd(g, sb.Slice(it.OffsetB, len), d, d);
                }
                else
                {
                    float f = divide ? 1f / sb[it.OffsetB] : sb[it.OffsetB];
                    TensorPrimitives.FusedMultiplyAdd(g, f, d, d);
                }
            }
            else if (bRow)
            {
                sda[it.OffsetA] += divide ? SumQuotient(g, sb.Slice(it.OffsetB, len)) : TensorPrimitives.Dot(g, sb.Slice(it.OffsetB, len));
            }
            else
            {
                float sum = TensorPrimitives.Sum(g);
                sda[it.OffsetA] += divide ? sum / sb[it.OffsetB] : sum * sb[it.OffsetB];
            }
        }
    }

    private static void GradientOfRight(BinaryOperation operation, Tensor a, Tensor b, Tensor dy, Tensor db)
    {
        if (operation == BinaryOperation.Add)
        {
            SumToShape(dy, db);
            return;
        }
        if (operation == BinaryOperation.Subtract)
        {
            SumToShape(dy, db);
            TensorPrimitives.Negate(db.Span, db.Span);
            return;
        }
        var it = new BroadcastIterator(a.Shape, b.Shape, dy.Shape);
        ReadOnlySpan<float> sa = a.Span, sb = b.Span, sdy = dy.Span;
        var sdb = db.Span;
        int len = it.InnerLength;
        bool aRow = it.InnerStrideA == 1, bRow = it.InnerStrideB == 1;
        bool divide = operation == BinaryOperation.Divide;
        // As for da: a b that is not broadcast gets each element written once (the multiply case; divide keeps accumulating).
        bool direct = !divide && b.HasShape(dy.Shape);
        if (!direct) sdb.Clear();
        for (int r = 0; r < it.Rows; r++, it.Advance())
        {
            var g = sdy.Slice(r * len, len);
            if (direct)
            {
                var d = sdb.Slice(it.OffsetB, len);
                if (aRow) TensorPrimitives.Multiply(g, sa.Slice(it.OffsetA, len), d);
                else TensorPrimitives.Multiply(g, sa[it.OffsetA], d);
            }
            else if (bRow)
            {
                var d = sdb.Slice(it.OffsetB, len);
                var bs = sb.Slice(it.OffsetB, len);
                if (divide)
                {
                    // db += −dy·a/b²
                    if (aRow) AccumulateNegativeRatio(g, sa.Slice(it.OffsetA, len), bs, d);
                    else ElementwiseDriver.Map(new SubtractScaledRatioOp(sa[it.OffsetA]), g, bs, d, d);
                }
                else if (aRow)
                {
                    TensorPrimitives.FusedMultiplyAdd(g, sa.Slice(it.OffsetA, len), d, d);
                }
                else
                {
                    TensorPrimitives.FusedMultiplyAdd(g, sa[it.OffsetA], d, d);
                }
            }
            else
            {
                float dot = aRow ? TensorPrimitives.Dot(g, sa.Slice(it.OffsetA, len)) : TensorPrimitives.Sum(g) * sa[it.OffsetA];
                if (divide)
                {
                    float bv = sb[it.OffsetB];
                    sdb[it.OffsetB] -= dot / (bv * bv);
                }
                else
                {
                    sdb[it.OffsetB] += dot;
                }
            }
        }
    }

    private static void FillResultShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        int rank = result.Length;
        for (int i = 1; i <= rank; i++)
        {
            int x = i <= a.Length ? a[^i] : 1, y = i <= b.Length ? b[^i] : 1;
            if (x != y && x != 1 && y != 1)
            {
                throw new ArgumentException(
                    $"Shapes {Tensor.FormatShape(a)} and {Tensor.FormatShape(b)} do not broadcast: dimension {rank - i} is {x} and {y} " +
                    "(each pair must be equal or 1).");
            }
            result[rank - i] = x == 1 ? y : x;
        }
    }

    private static void CheckResult(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> result, string what)
    {
        int rank = Math.Max(a.Length, b.Length);
        if (rank > BroadcastIterator.MaxRank)
        {
            throw new ArgumentException($"Broadcasting supports up to {BroadcastIterator.MaxRank} dimensions but got {Tensor.FormatShape(a)} and {Tensor.FormatShape(b)}.");
        }
        Span<int> expected = stackalloc int[rank];
        FillResultShape(a, b, expected);
        if (!expected.SequenceEqual(result))
        {
            throw new ArgumentException(
                $"Broadcasting {Tensor.FormatShape(a)} with {Tensor.FormatShape(b)} gives {Tensor.FormatShape(expected)} but {what} has shape {Tensor.FormatShape(result)}.");
        }
    }

    private static float Apply(BinaryOperation operation, float a, float b) => operation switch
    {
        BinaryOperation.Add => a + b,
        BinaryOperation.Subtract => a - b,
        BinaryOperation.Multiply => a * b,
        BinaryOperation.Divide => a / b,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), $"Unknown operation {operation}."),
    };

    private static void ApplySpanSpan(BinaryOperation operation, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> o)
    {
        switch (operation)
        {
            case BinaryOperation.Add: TensorPrimitives.Add(a, b, o); break;
            case BinaryOperation.Subtract: TensorPrimitives.Subtract(a, b, o); break;
            case BinaryOperation.Multiply: TensorPrimitives.Multiply(a, b, o); break;
            case BinaryOperation.Divide: TensorPrimitives.Divide(a, b, o); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), $"Unknown operation {operation}.");
        }
    }

    private static void ApplySpanScalar(BinaryOperation operation, ReadOnlySpan<float> a, float b, Span<float> o)
    {
        switch (operation)
        {
            case BinaryOperation.Add: TensorPrimitives.Add(a, b, o); break;
            case BinaryOperation.Subtract: TensorPrimitives.Subtract(a, b, o); break;
            case BinaryOperation.Multiply: TensorPrimitives.Multiply(a, b, o); break;
            case BinaryOperation.Divide: TensorPrimitives.Divide(a, b, o); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), $"Unknown operation {operation}.");
        }
    }

    private static void ApplyScalarSpan(BinaryOperation operation, float a, ReadOnlySpan<float> b, Span<float> o)
    {
        switch (operation)
        {
            case BinaryOperation.Add: TensorPrimitives.Add(b, a, o); break;
            case BinaryOperation.Subtract: TensorPrimitives.Subtract(a, b, o); break;
            case BinaryOperation.Multiply: TensorPrimitives.Multiply(b, a, o); break;
            case BinaryOperation.Divide: TensorPrimitives.Divide(a, b, o); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), $"Unknown operation {operation}.");
        }
    }

    /// <summary>Σ dy/b.</summary>
    private static float SumQuotient(ReadOnlySpan<float> dy, ReadOnlySpan<float> b)
    {
        int w = Vector<float>.Count;
        ref float pd = ref MemoryMarshal.GetReference(dy);
        ref float pb = ref MemoryMarshal.GetReference(b);
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= dy.Length - w; i += w) acc += Vector.LoadUnsafe(ref pd, (nuint)i) / Vector.LoadUnsafe(ref pb, (nuint)i);
        float sum = Vector.Sum(acc);
        for (; i < dy.Length; i++) sum += dy[i] / b[i];
        return sum;
    }

    /// <summary>d + dy/b.</summary>
    private readonly struct AddQuotientOp : ITernaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> dy, Vector<float> b, Vector<float> d) => d + dy / b;
    }

    /// <summary>d −= dy·a/b².</summary>
    private static void AccumulateNegativeRatio(ReadOnlySpan<float> dy, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d)
    {
        int w = Vector<float>.Count;
        ref float pdy = ref MemoryMarshal.GetReference(dy);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float pd = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i <= dy.Length - w; i += w)
        {
            var bv = Vector.LoadUnsafe(ref pb, (nuint)i);
            (Vector.LoadUnsafe(ref pd, (nuint)i) - Vector.LoadUnsafe(ref pdy, (nuint)i) * Vector.LoadUnsafe(ref pa, (nuint)i) / (bv * bv))
                .StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < dy.Length; i++) d[i] -= dy[i] * a[i] / (b[i] * b[i]);
    }

    /// <summary>d − dy·a/b² for a scalar a.</summary>
    private readonly struct SubtractScaledRatioOp(float a) : ITernaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> dy, Vector<float> b, Vector<float> d) => d - dy * a / (b * b);
    }
}
