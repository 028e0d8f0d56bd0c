using System.Globalization;
using System.Reflection;
using System.Text;

namespace MLNet.Nets.Evaluation;

/// <summary>
/// Mean and standard deviation of each metric across cross-validation folds. The standard deviation is the sample one
/// (n − 1 in the denominator), since folds are a sample of possible splits.
/// </summary>
/// <typeparam name="TMetrics">The metrics type.</typeparam>
public sealed class MetricsSummary<TMetrics> where TMetrics : class
{
    private readonly TMetrics[] _folds;

    /// <summary>A summary of the given per-fold metrics.</summary>
    public MetricsSummary(IEnumerable<TMetrics> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        _folds = folds.ToArray();
        if (_folds.Length == 0) throw new ArgumentException("There are no folds to summarize.", nameof(folds));
    }

    /// <summary>The per-fold metrics.</summary>
    public IReadOnlyList<TMetrics> Folds => _folds;

    /// <summary>The mean of a metric over the folds.</summary>
    public double Mean(Func<TMetrics, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return _folds.Average(metric);
    }

    /// <summary>The sample standard deviation of a metric over the folds (0 for one fold).</summary>
    public double StandardDeviation(Func<TMetrics, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (_folds.Length < 2) return 0;
        double mean = Mean(metric);
        return Math.Sqrt(_folds.Sum(f => (metric(f) - mean) * (metric(f) - mean)) / (_folds.Length - 1));
    }

    /// <summary>One line per numeric metric: name, mean ± standard deviation.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var properties = typeof(TMetrics).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(double));
        int width = properties.Max(p => p.Name.Length);
        foreach (var p in properties)
        {
            double Value(TMetrics m) => (double)p.GetValue(m)!;
            sb.Append(p.Name.PadRight(width)).Append("  ")
              .Append(Mean(Value).ToString("F4", CultureInfo.InvariantCulture)).Append(" ± ")
              .AppendLine(StandardDeviation(Value).ToString("F4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
