namespace MLNet.Nets.Training;

/// <summary>The training parameters of Levenberg–Marquardt, with MATLAB <c>trainlm</c>'s names (in PascalCase) and defaults.</summary>
public sealed class LevenbergMarquardtOptions
{
    /// <summary>Maximum number of epochs (<c>epochs</c>). Default 1000.</summary>
    public int Epochs { get; set; } = 1000;

    /// <summary>Stop when the training MSE is at or below this (<c>goal</c>). Default 0.</summary>
    public double Goal { get; set; }

    /// <summary>Stop after this many consecutive epochs without a new best validation error (<c>max_fail</c>). Default 6.</summary>
    public int MaxFail { get; set; } = 6;

    /// <summary>Stop when the norm of the MSE gradient is at or below this (<c>min_grad</c>). Default 1e-7.</summary>
    public double MinGrad { get; set; } = 1e-7;

    /// <summary>Initial damping μ of (JᵀJ + μI)δ = Jᵀe (<c>mu</c>). Default 0.001.</summary>
    public double Mu { get; set; } = 0.001;

    /// <summary>μ is multiplied by this after a successful step (<c>mu_dec</c>). Default 0.1.</summary>
    public double MuDec { get; set; } = 0.1;

    /// <summary>μ is multiplied by this after a step that did not reduce the error (<c>mu_inc</c>). Default 10.</summary>
    public double MuInc { get; set; } = 10;

    /// <summary>Stop when μ exceeds this (<c>mu_max</c>). Default 1e10.</summary>
    public double MuMax { get; set; } = 1e10;

    /// <summary>Stop after this much wall time (<c>time</c>). Default <see cref="Timeout.InfiniteTimeSpan"/> (no limit).</summary>
    public TimeSpan TimeLimit { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Weight-decay share r of the performance, MATLAB's <c>net.performParam.regularization</c>: the trainer minimises
    /// (1 − r)·mse + r·msw, where msw is the mean squared weight (biases included). 0 (the default) is plain MSE.
    /// </summary>
    public double Regularization { get; set; }

    /// <summary>
    /// Bayesian regularization (MATLAB <c>trainbr</c>, MacKay / Foresee–Hagan): minimises β·Σe² + α·Σw² with the
    /// Levenberg–Marquardt step and re-estimates α and β from the effective number of parameters after every accepted
    /// step; reported performances stay plain MSE. Usually trained without a validation split. Default false.
    /// </summary>
    public bool BayesianRegularization { get; set; }

    internal void Validate()
    {
        if (!(Regularization >= 0 && Regularization < 1)) throw new ArgumentException($"Regularization must be in [0, 1) (got {Regularization}).");
        if (Epochs < 0) throw new ArgumentException($"Epochs must be ≥ 0 (got {Epochs}).");
        if (!(Goal >= 0)) throw new ArgumentException($"Goal must be ≥ 0 (got {Goal}).");
        if (MaxFail < 1) throw new ArgumentException($"MaxFail must be ≥ 1 (got {MaxFail}).");
        if (!(MinGrad >= 0)) throw new ArgumentException($"MinGrad must be ≥ 0 (got {MinGrad}).");
        if (!(Mu > 0) || !double.IsFinite(Mu)) throw new ArgumentException($"Mu must be positive and finite (got {Mu}).");
        if (!(MuDec > 0 && MuDec < 1)) throw new ArgumentException($"MuDec must be in (0, 1) (got {MuDec}).");
        if (!(MuInc > 1) || !double.IsFinite(MuInc)) throw new ArgumentException($"MuInc must be > 1 (got {MuInc}).");
        if (!(MuMax > 0)) throw new ArgumentException($"MuMax must be positive (got {MuMax}).");
        if (TimeLimit != Timeout.InfiniteTimeSpan && TimeLimit < TimeSpan.Zero) throw new ArgumentException("TimeLimit must be ≥ 0 or infinite.");
    }
}
