using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>Inputs and targets of one data part (training, validation or test) as row-major doubles.</summary>
internal sealed class RowSet
{
    public RowSet(double[] x, double[] y, int rows)
    {
        X = x;
        Y = y;
        Rows = rows;
    }

    /// <summary>Inputs [Rows, inputs].</summary>
    public double[] X { get; }

    /// <summary>Targets [Rows, outputs].</summary>
    public double[] Y { get; }

    public int Rows { get; }

    /// <summary>Widens and checks x [N, inputs] and y [N, outputs] for the stack.</summary>
    public static RowSet From(DenseStack stack, Tensor x, Tensor y, string part)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank != 2 || x.Dim(1) != stack.InputCount)
        {
            throw new ArgumentException($"The {part} inputs must be [N, {stack.InputCount}] but are {x.ShapeString}.");
        }
        if (y.Rank != 2 || y.Dim(1) != stack.OutputCount || y.Dim(0) != x.Dim(0))
        {
            throw new ArgumentException($"The {part} targets must be [{x.Dim(0)}, {stack.OutputCount}] but are {y.ShapeString}.");
        }
        return new RowSet(Widen(x, $"{part} inputs"), Widen(y, $"{part} targets"), x.Dim(0));
    }

    /// <summary>Copies a [rows, cols] float tensor to doubles, rejecting NaN/∞ with the row and column.</summary>
    public static double[] Widen(Tensor t, string what)
    {
        var span = t.Span;
        int cols = t.Dim(1);
        var d = new double[span.Length];
        for (int i = 0; i < span.Length; i++)
        {
            float v = span[i];
            if (!float.IsFinite(v)) throw new ArgumentException($"The {what} hold {v} at row {i / cols}, column {i % cols}.");
            d[i] = v;
        }
        return d;
    }
}
