namespace MLNet.Nets.Training;

/// <summary>
/// The training parameters of gradient descent with momentum and an adaptive learning rate, with MATLAB
/// <c>traingdx</c>'s names (in PascalCase) and defaults.
/// </summary>
public sealed class GradientDescentAdaptiveOptions
{
    /// <summary>Maximum number of epochs (<c>epochs</c>). Default 1000.</summary>
    public int Epochs { get; set; } = 1000;

    /// <summary>Stop when the training MSE is at or below this (<c>goal</c>). Default 0.</summary>
    public double Goal { get; set; }

    /// <summary>Stop after this many consecutive epochs without a new best validation error (<c>max_fail</c>). Default 6.</summary>
    public int MaxFail { get; set; } = 6;

    /// <summary>Stop when the norm of the MSE gradient is at or below this (<c>min_grad</c>). Default 1e-5.</summary>
    public double MinGrad { get; set; } = 1e-5;

    /// <summary>Initial learning rate (<c>lr</c>). Default 0.01.</summary>
    public double LearningRate { get; set; } = 0.01;

    /// <summary>The learning rate is multiplied by this after a step that lowered the error (<c>lr_inc</c>). Default 1.05.</summary>
    public double LearningRateIncrease { get; set; } = 1.05;

    /// <summary>The learning rate is multiplied by this after a rejected step (<c>lr_dec</c>). Default 0.7.</summary>
    public double LearningRateDecrease { get; set; } = 0.7;

    /// <summary>A step that raises the error by more than this factor is rejected (<c>max_perf_inc</c>). Default 1.04.</summary>
    public double MaxPerformanceIncrease { get; set; } = 1.04;

    /// <summary>Momentum constant (<c>mc</c>), in [0, 1]. Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Stop after this much wall time (<c>time</c>). Default <see cref="Timeout.InfiniteTimeSpan"/> (no limit).</summary>
    public TimeSpan TimeLimit { get; set; } = Timeout.InfiniteTimeSpan;

    internal void Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"Epochs must be ≥ 0 (got {Epochs}).");
        if (!(Goal >= 0)) throw new ArgumentException($"Goal must be ≥ 0 (got {Goal}).");
        if (MaxFail < 1) throw new ArgumentException($"MaxFail must be ≥ 1 (got {MaxFail}).");
        if (!(MinGrad >= 0)) throw new ArgumentException($"MinGrad must be ≥ 0 (got {MinGrad}).");
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"LearningRate must be ≥ 0 (got {LearningRate}).");
        if (!(LearningRateIncrease >= 1)) throw new ArgumentException($"LearningRateIncrease must be ≥ 1 (got {LearningRateIncrease}).");
        if (!(LearningRateDecrease > 0 && LearningRateDecrease <= 1)) throw new ArgumentException($"LearningRateDecrease must be in (0, 1] (got {LearningRateDecrease}).");
        if (!(MaxPerformanceIncrease >= 1)) throw new ArgumentException($"MaxPerformanceIncrease must be ≥ 1 (got {MaxPerformanceIncrease}).");
        if (!(Momentum >= 0 && Momentum <= 1)) throw new ArgumentException($"Momentum must be in [0, 1] (got {Momentum}).");
        if (TimeLimit != Timeout.InfiniteTimeSpan && TimeLimit < TimeSpan.Zero) throw new ArgumentException("TimeLimit must be ≥ 0 or infinite.");
    }
}
