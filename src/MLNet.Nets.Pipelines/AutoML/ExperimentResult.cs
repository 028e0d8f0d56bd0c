namespace MLNet.Nets.AutoML;

/// <summary>What an experiment found: every trial, the best one, and its pipeline refitted on all the data.</summary>
public sealed class ExperimentResult
{
    internal ExperimentResult(string metric, bool higherIsBetter, IReadOnlyList<TrialResult> trials, TrialResult? best, ITransformer? bestModel, bool cancelled)
    {
        OptimizingMetric = metric;
        HigherIsBetter = higherIsBetter;
        Trials = trials;
        BestRun = best;
        BestModel = bestModel;
        WasCancelled = cancelled;
    }

    /// <summary>The optimized metric's name.</summary>
    public string OptimizingMetric { get; }
    /// <summary>Whether larger values of it are better.</summary>
    public bool HigherIsBetter { get; }
    /// <summary>Every trial in order.</summary>
    public IReadOnlyList<TrialResult> Trials { get; }
    /// <summary>The best successful trial, or null when none succeeded.</summary>
    public TrialResult? BestRun { get; }
    /// <summary>The best trial's pipeline fitted on all the data (ready for <c>nets.Model.Save</c>), or null.</summary>
    public ITransformer? BestModel { get; }
    /// <summary>True when the experiment was cancelled (the result holds what was done by then).</summary>
    public bool WasCancelled { get; }
}
