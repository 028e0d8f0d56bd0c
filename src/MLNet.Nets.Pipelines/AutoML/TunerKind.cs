namespace MLNet.Nets.AutoML;

/// <summary>How an experiment chooses its next trial.</summary>
public enum TunerKind
{
    /// <summary>
    /// Cost-frugal local search in the spirit of FLAML's CFO: start from a cheap configuration (small network, few
    /// epochs), move in random directions that improve the metric, shrink the step when none does, restart when it is tiny.
    /// </summary>
    CostFrugal,
    /// <summary>Independent uniform samples of the search space (the baseline).</summary>
    Random,
}
