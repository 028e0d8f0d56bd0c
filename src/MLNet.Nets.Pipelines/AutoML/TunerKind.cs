namespace MLNet.Nets.AutoML;

/// <summary>How an experiment chooses its next trial.</summary>
public enum TunerKind
{
    /// <summary>
    /// Cost-frugal search in the spirit of FLAML's CFO and BlendSearch: a local search from a cheap configuration (small
    /// network, few epochs) that moves in random directions that improve the metric and shrinks the step when none does,
    /// interleaved with global proposals of a tree-structured Parzen estimator fitted to the trials so far.
    /// </summary>
    CostFrugal,
    /// <summary>Independent uniform samples of the search space (the baseline).</summary>
    Random,
}
