using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>
/// Learns per-slot statistics of Single columns (scalar or vector; NaN ignored) and normalizes them. Made by
/// <c>NormalizeMinMax</c>, <c>NormalizeMeanVariance</c> and <c>NormalizeLogMeanVariance</c>.
/// </summary>
public sealed class NormalizingEstimator : IEstimator<NormalizingTransformer>
{
    private readonly (string Output, string Input)[] _columns;

    internal NormalizingEstimator(NormalizationMode mode, (string Output, string Input)[] columns, long maximumExampleCount, bool fixZero,
        (double Min, double Max)? range, bool useCdf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumExampleCount, 1);
        if (range is { } r && !(r.Min < r.Max)) throw new ArgumentException($"The target range [{r.Min}, {r.Max}] is empty.");
        _columns = columns;
        Mode = mode;
        MaximumExampleCount = maximumExampleCount;
        FixZero = fixZero;
        Range = range;
        UseCdf = useCdf;
    }

    /// <summary>The normalizer.</summary>
    public NormalizationMode Mode { get; }
    /// <summary>Rows used to learn the statistics (the first ones).</summary>
    public long MaximumExampleCount { get; }
    /// <summary>Map 0 to 0 (no offset), as ML.NET's default.</summary>
    public bool FixZero { get; }
    /// <summary>The target range of a min-max mapping (MATLAB mapminmax), or null.</summary>
    public (double Min, double Max)? Range { get; }
    /// <summary>Log mode: apply the normal CDF.</summary>
    public bool UseCdf { get; }

    /// <inheritdoc/>
    public NormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = new List<(string, string, NormalizationParameters)>();
        foreach (var (output, inputName) in _columns)
        {
            var column = input.Schema.GetColumnOrNull(inputName)
                ?? throw new ArgumentException($"The column '{inputName}' to normalize is not in the data. Columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.");
            if (column.Type.Kind != DataKind.Single) throw new ArgumentException($"The column '{inputName}' holds {column.Type}; normalizers take Single values.");
            result.Add((output, inputName, Learn(input, column)));
        }
        return new NormalizingTransformer(result);
    }

    private NormalizationParameters Learn(IDataView input, DataViewSchema.Column column)
    {
        int size = column.Type.Size;
        var min = Enumerable.Repeat(double.PositiveInfinity, size).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, size).ToArray();
        var sum = new double[size];
        var sumSquares = new double[size];
        var count = new long[size];
        bool log = Mode == NormalizationMode.LogMeanVariance;
        long rows = 0;
        foreach (var batch in input.GetBatches([column.Index]))
        {
            var values = batch.GetValues<float>(column.Index);
            int take = (int)Math.Min(batch.RowCount, MaximumExampleCount - rows);
            for (int r = 0; r < take; r++)
            {
                for (int s = 0; s < size; s++)
                {
                    double v = values[r * size + s];
                    if (double.IsNaN(v) || (log && v <= 0)) continue;
                    if (log) v = Math.Log(v);
                    min[s] = Math.Min(min[s], v);
                    max[s] = Math.Max(max[s], v);
                    sum[s] += v;
                    sumSquares[s] += v * v;
                    count[s]++;
                }
            }
            rows += take;
            if (rows >= MaximumExampleCount) break;
        }
        var offset = new double[size];
        var scale = new double[size];
        var shift = new double[size];
        for (int s = 0; s < size; s++)
        {
            if (count[s] == 0) { scale[s] = 0; continue; }
            double mean = sum[s] / count[s];
            double std = Math.Sqrt(Math.Max(0, sumSquares[s] / count[s] - mean * mean));
            switch (Mode)
            {
                case NormalizationMode.MinMax when Range is { } range:
                    offset[s] = min[s];
                    scale[s] = max[s] > min[s] ? (range.Max - range.Min) / (max[s] - min[s]) : 0;
                    shift[s] = max[s] > min[s] ? range.Min : 0.5 * (range.Min + range.Max);
                    break;
                case NormalizationMode.MinMax when FixZero:
                    double bound = Math.Max(Math.Abs(min[s]), Math.Abs(max[s]));
                    scale[s] = bound > 0 ? 1 / bound : 0;
                    break;
                case NormalizationMode.MinMax:
                    offset[s] = min[s];
                    scale[s] = max[s] > min[s] ? 1 / (max[s] - min[s]) : 0;
                    break;
                case NormalizationMode.MeanVariance:
                    offset[s] = FixZero ? 0 : mean;
                    scale[s] = std > 0 ? 1 / std : 0;
                    break;
                default:
                    offset[s] = mean;
                    scale[s] = std > 0 ? 1 / std : 0;
                    break;
            }
        }
        return new NormalizationParameters(Mode, offset, scale, shift, UseCdf);
    }
}
