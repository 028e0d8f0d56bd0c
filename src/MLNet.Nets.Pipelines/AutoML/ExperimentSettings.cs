namespace MLNet.Nets.AutoML;

/// <summary>Settings of an AutoML experiment. Every default is stated. Image experiments take <see cref="ImageClassificationExperimentSettings"/> for what only they need.</summary>
public class ExperimentSettings
{
    /// <summary>Time budget in seconds; no trial starts after it and a running trial is stopped at it. Default 60.</summary>
    public double MaxExperimentTimeInSeconds { get; set; } = 60;

    /// <summary>Most trials. Default unlimited.</summary>
    public int MaxTrials { get; set; } = int.MaxValue;

    /// <summary>
    /// The metric to optimize, by ML.NET's name: RSquared, RootMeanSquaredError, MeanAbsoluteError, MeanSquaredError
    /// (regression); Accuracy, AreaUnderRocCurve, F1Score, LogLoss (binary); MicroAccuracy, MacroAccuracy, LogLoss,
    /// LogLossReduction (multiclass). Default: RSquared / Accuracy / MicroAccuracy.
    /// </summary>
    public string? OptimizingMetric { get; set; }

    /// <summary>Folds of cross-validation per trial (1: a seeded 20 % holdout, stratified for classification); null chooses, for BP networks, 5 folds below 10,000 rows and the holdout above, and for images the holdout. Default null.</summary>
    public int? CrossValidationFolds { get; set; }

    /// <summary>
    /// Regression and classification (BP network) experiments: how many networks of the best configuration the final refit
    /// trains on all the data, with different seeds, and averages into the returned model
    /// (<see cref="Trainers.BackPropagationOptions.EnsembleSize"/>; the trials train one network each). The best trial's
    /// score is one draw of a network's initial weights, so a single refit is a fresh draw that can be much worse; the
    /// average of several depends far less on the draw and usually predicts better than a typical one. Costs this many
    /// fits after the time budget.
    /// Null chooses 5 for BP experiments and 1 for image experiments, which accept no other value (an image network costs
    /// minutes). Default null.
    /// </summary>
    public int? EnsembleSize { get; set; }

    /// <summary>The tuner. Default <see cref="TunerKind.CostFrugal"/>.</summary>
    public TunerKind Tuner { get; set; } = TunerKind.CostFrugal;

    /// <summary>Seed of the tuner, the splits and every trial's networks (BP experiments derive one network seed per fold from it, the same in every trial). Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Stops the experiment; the best result so far is returned. Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Called after every trial (also failed ones). Default none.</summary>
    public Action<TrialResult>? OnTrialCompleted { get; set; }

    /// <summary>Where the results table (trials.csv) and the metric-vs-time plot (progress.svg) go; null for none. Default null.</summary>
    public string? ExperimentFolder { get; set; }
}
