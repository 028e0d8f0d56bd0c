namespace MLNet.Nets.Training;

/// <summary>Why Levenberg–Marquardt or traingdx stopped; <see cref="FeedForwardTrainingResult.StopMessage"/> gives MATLAB's wording.</summary>
public enum FeedForwardStopReason
{
    /// <summary>"Performance goal met." — the training MSE fell to <c>Goal</c> or below.</summary>
    PerformanceGoal,
    /// <summary>"Maximum epoch reached."</summary>
    MaximumEpochs,
    /// <summary>"Minimum gradient reached." — the norm of the MSE gradient fell to <c>MinGrad</c> or below.</summary>
    MinimumGradient,
    /// <summary>"Maximum mu reached." — Levenberg–Marquardt could not reduce the error even with mu at <c>MuMax</c>.</summary>
    MaximumMu,
    /// <summary>"Maximum time elapsed." — the <c>TimeLimit</c> passed.</summary>
    TimeLimit,
    /// <summary>"Validation stop." — the validation error rose <c>MaxFail</c> epochs in a row; the best-validation weights are restored.</summary>
    ValidationStop,
}
