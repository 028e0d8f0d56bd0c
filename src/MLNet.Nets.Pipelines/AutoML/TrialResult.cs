namespace MLNet.Nets.AutoML;

/// <summary>One trial of an experiment.</summary>
/// <param name="Index">0-based trial number.</param>
/// <param name="Settings">The configuration tried, human-readable (e.g. "hidden [12] tanh, lm, 200 epochs").</param>
/// <param name="Parameters">The configuration as named values.</param>
/// <param name="Metric">The optimized metric (mean over folds); NaN when the trial failed.</param>
/// <param name="FoldMetrics">The metric on each fold (one value with a holdout).</param>
/// <param name="Duration">Wall time of the trial.</param>
/// <param name="PeakMemoryBytes">The process's largest working set during the trial (sampled every 10 ms).</param>
/// <param name="Error">Why the trial failed, or null.</param>
/// <param name="ElapsedAtEnd">Time since the experiment began when the trial ended.</param>
public sealed record TrialResult(int Index, string Settings, IReadOnlyDictionary<string, object> Parameters, double Metric,
    IReadOnlyList<double> FoldMetrics, TimeSpan Duration, long PeakMemoryBytes, string? Error, TimeSpan ElapsedAtEnd)
{
    /// <summary>True when the trial produced a metric.</summary>
    public bool Succeeded => Error is null && !double.IsNaN(Metric);
}
