using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>
/// Maps every column (feature) of a [rows, columns] matrix linearly from its fitted [min, max] onto a target range,
/// [-1, 1] by default — MATLAB's <c>mapminmax</c> with samples as rows (the ML.NET convention) rather than columns.
/// </summary>
/// <remarks>
/// <para>y = (ymax − ymin)·(x − xmin)/(xmax − xmin) + ymin per column; <see cref="Inverse(Tensor)"/> undoes it.</para>
/// <para>A column that is constant in the fitted data carries no information (MATLAB's <c>removeconstantrows</c>
/// drops it): it is mapped to the middle of the range, whatever its value, so it behaves as if removed, and its
/// inverse gives back the constant.</para>
/// <para>Values outside the fitted range are extrapolated linearly (not clipped), as <c>mapminmax('apply', …)</c> does.</para>
/// </remarks>
public sealed class MinMaxScaler
{
    private double[]? _min;
    private double[]? _max;
    private double[]? _gain;

    /// <summary>Creates an unfitted scaler onto [<paramref name="rangeMin"/>, <paramref name="rangeMax"/>] (default [-1, 1]).</summary>
    /// <exception cref="ArgumentException">The range is empty or not finite.</exception>
    public MinMaxScaler(double rangeMin = -1, double rangeMax = 1)
    {
        if (!double.IsFinite(rangeMin) || !double.IsFinite(rangeMax) || !(rangeMin < rangeMax))
        {
            throw new ArgumentException($"The target range [{rangeMin}, {rangeMax}] must be finite with min < max.");
        }
        RangeMin = rangeMin;
        RangeMax = rangeMax;
    }

    /// <summary>Lower end of the target range (default −1).</summary>
    public double RangeMin { get; }

    /// <summary>Upper end of the target range (default 1).</summary>
    public double RangeMax { get; }

    /// <summary>True once <see cref="Fit(Tensor)"/> has run.</summary>
    public bool IsFitted => _min is not null;

    /// <summary>Number of columns the scaler was fitted on.</summary>
    public int ColumnCount => Fitted()._min!.Length;

    /// <summary>The fitted per-column minimum.</summary>
    public IReadOnlyList<double> DataMin => Fitted()._min!;

    /// <summary>The fitted per-column maximum.</summary>
    public IReadOnlyList<double> DataMax => Fitted()._max!;

    /// <summary>True when column <paramref name="column"/> was constant in the fitted data (see the remarks).</summary>
    public bool IsConstant(int column) => Fitted()._gain![column] == 0;

    /// <summary>Learns each column's min and max from <paramref name="x"/> [rows, columns]; returns this scaler.</summary>
    /// <exception cref="ArgumentException">x is not rank 2, has no rows, or holds a NaN/∞ (the message names row and column).</exception>
    public MinMaxScaler Fit(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (rows, cols) = Matrix(x, "x");
        if (rows == 0) throw new ArgumentException("Cannot fit a min-max scaler on zero rows.", nameof(x));
        var span = x.Span;
        var min = new double[cols];
        var max = new double[cols];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double v = span[r * cols + c];
                if (!double.IsFinite(v)) throw new ArgumentException($"x[{r}, {c}] is {v}; min-max scaling needs finite values.", nameof(x));
                if (v < min[c]) min[c] = v;
                if (v > max[c]) max[c] = v;
            }
        }
        SetRange(min, max);
        return this;
    }

    /// <summary>Sets the per-column data range directly (for example, to restore a saved scaler); returns this scaler.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length, or a min is above its max or not finite.</exception>
    public MinMaxScaler SetRange(IReadOnlyList<double> dataMin, IReadOnlyList<double> dataMax)
    {
        ArgumentNullException.ThrowIfNull(dataMin);
        ArgumentNullException.ThrowIfNull(dataMax);
        if (dataMin.Count != dataMax.Count) throw new ArgumentException("dataMin and dataMax differ in length.");
        var min = dataMin.ToArray();
        var max = dataMax.ToArray();
        var gain = new double[min.Length];
        for (int c = 0; c < min.Length; c++)
        {
            if (!double.IsFinite(min[c]) || !double.IsFinite(max[c]) || min[c] > max[c])
            {
                throw new ArgumentException($"Column {c} has an invalid range [{min[c]}, {max[c]}].");
            }
            gain[c] = max[c] > min[c] ? (RangeMax - RangeMin) / (max[c] - min[c]) : 0;
        }
        _min = min;
        _max = max;
        _gain = gain;
        return this;
    }

    /// <summary>Returns a new [rows, columns] tensor with every column mapped onto the target range.</summary>
    public Tensor Transform(Tensor x)
    {
        var y = new Tensor(x.Shape);
        Transform(x, y);
        return y;
    }

    /// <summary>Maps <paramref name="x"/> into <paramref name="destination"/> (same shape; may be x itself).</summary>
    public void Transform(Tensor x, Tensor destination)
    {
        var (rows, cols) = CheckColumns(x, destination);
        var src = x.Span;
        var dst = destination.Span;
        double mid = 0.5 * (RangeMin + RangeMax);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                dst[i] = (float)(_gain![c] == 0 ? mid : (src[i] - _min![c]) * _gain[c] + RangeMin);
            }
        }
    }

    /// <summary>Returns a new tensor mapped back from the target range to the data's units (inverse of Transform).</summary>
    public Tensor Inverse(Tensor y)
    {
        var x = new Tensor(y.Shape);
        Inverse(y, x);
        return x;
    }

    /// <summary>Maps <paramref name="y"/> back into <paramref name="destination"/> (same shape; may be y itself).</summary>
    public void Inverse(Tensor y, Tensor destination)
    {
        var (rows, cols) = CheckColumns(y, destination);
        var src = y.Span;
        var dst = destination.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                dst[i] = (float)(_gain![c] == 0 ? _min![c] : (src[i] - RangeMin) / _gain[c] + _min![c]);
            }
        }
    }

    /// <summary>Double-precision transform of a row-major [rows, ColumnCount] array (used by the trainers).</summary>
    internal void TransformInPlace(double[] values, int rows)
    {
        int cols = ColumnCount;
        double mid = 0.5 * (RangeMin + RangeMax);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                values[i] = _gain![c] == 0 ? mid : (values[i] - _min![c]) * _gain[c] + RangeMin;
            }
        }
    }

    /// <summary>dx/dy of the inverse for column <paramref name="column"/> (0 for a constant column).</summary>
    internal double InverseGain(int column) => _gain![column] == 0 ? 0 : 1 / _gain[column];

    private MinMaxScaler Fitted() =>
        _min is null ? throw new InvalidOperationException("The min-max scaler has not been fitted; call Fit first.") : this;

    private (int Rows, int Cols) CheckColumns(Tensor x, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(destination);
        Fitted();
        var (rows, cols) = Matrix(x, "x");
        if (cols != _min!.Length)
        {
            throw new ArgumentException($"The scaler was fitted on {_min.Length} columns but the input {x.ShapeString} has {cols}.");
        }
        destination.CheckShape(x.Shape, "The destination of the min-max mapping");
        return (rows, cols);
    }

    private static (int Rows, int Cols) Matrix(Tensor x, string name) =>
        x.Rank == 2 ? (x.Dim(0), x.Dim(1)) : throw new ArgumentException($"{name} must be [rows, columns] but is {x.ShapeString}.", name);
}
