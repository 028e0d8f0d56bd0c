using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>Inputs and targets of one data part (training, validation or test), feature-major doubles.</summary>
internal sealed class RowSet
{
    private RowSet(double[] x, double[] y, int rows)
    {
        X = x;
        Y = y;
        Rows = rows;
    }

    /// <summary>Inputs, feature-major [inputs, Rows].</summary>
    public double[] X { get; }

    /// <summary>Targets, output-major [outputs, Rows].</summary>
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
        int rows = x.Dim(0);
        return FromRowMajor(Widen(x, $"{part} inputs"), Widen(y, $"{part} targets"), rows, stack.InputCount, stack.OutputCount, null);
    }

    /// <summary>Gathers <paramref name="indices"/> (all rows when null) of row-major x/y into a feature-major set.</summary>
    public static RowSet FromRowMajor(double[] x, double[] y, int rows, int inputs, int outputs, IReadOnlyList<int>? indices)
    {
        int n = indices?.Count ?? rows;
        var xt = new double[inputs * n];
        var yt = new double[outputs * n];
        for (int r = 0; r < n; r++)
        {
            int src = indices is null ? r : indices[r];
            for (int i = 0; i < inputs; i++) xt[i * n + r] = x[src * inputs + i];
            for (int k = 0; k < outputs; k++) yt[k * n + r] = y[src * outputs + k];
        }
        return new RowSet(xt, yt, n);
    }

    /// <summary>Copies a [rows, cols] float tensor to row-major doubles, rejecting NaN/∞ with the row and column.</summary>
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
