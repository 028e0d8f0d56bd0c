using System.Diagnostics;
using MLNet.Nets.Data;

namespace MLNet.Nets.AutoML;

/// <summary>
/// The trial loop every experiment shares: the tuner proposes points of [0, 1]^d, the experiment's search space maps
/// them to configurations, and each new configuration is fitted and scored on every fold within the time budget and
/// trial limit. Repeated configurations are answered from the earlier trial; failed or NaN trials are recorded with their
/// error; the best configuration is refitted on all the data (or, when cancelled, its first-fold model is kept); the
/// report goes to the experiment folder.
/// </summary>
/// <typeparam name="TConfig">A configuration of the search space.</typeparam>
internal sealed class ExperimentRunner<TConfig>
{
    /// <summary>The settings (budget, trials, tuner, seed, cancellation, callback, folder).</summary>
    public required ExperimentSettings Settings { get; init; }

    /// <summary>The optimized metric's name.</summary>
    public required string MetricName { get; init; }

    /// <summary>Whether larger values of it are better.</summary>
    public required bool HigherIsBetter { get; init; }

    /// <summary>The search space's dimension d.</summary>
    public required int Dimensions { get; init; }

    /// <summary>The cost-frugal tuner's start: the cheapest sensible configuration.</summary>
    public required double[] CheapStart { get; init; }

    /// <summary>Per coordinate, the number of equal-width choices it selects among (0: continuous).</summary>
    public required int[] Levels { get; init; }

    /// <summary>
    /// Optional: a relative cost estimate of a point, where trials differ in cost by orders of magnitude (images); the
    /// cost-frugal tuner's global proposals then prefer cheap points.
    /// </summary>
    public Func<double[], double>? Cost { get; init; }

    /// <summary>Optional: points the cost-frugal tuner tries first instead of <see cref="CheapStart"/>.</summary>
    public IReadOnlyList<double[]>? Portfolio { get; init; }

    /// <summary>
    /// Optional: a configuration's text without its epoch limit, and the limit. With <see cref="SameNetworkFromLimit"/>,
    /// a configuration that differs from a trained one only in a limit from which on that one's networks would be
    /// trained again (on every fold) is answered from it.
    /// </summary>
    public Func<TConfig, (string Family, int EpochLimit)>? EpochLimit { get; init; }

    /// <summary>
    /// The smallest epoch limit that trains a fitted pipeline's network again — when its training ended on its own
    /// (early stopping), the epochs whose weights were kept: a larger limit runs the same epochs up to there and keeps
    /// the same weights — or null when the epoch limit alone stopped it.
    /// </summary>
    public Func<ITransformer, int?>? SameNetworkFromLimit { get; init; }

    /// <summary>Maps a point of [0, 1]^d to a configuration.</summary>
    public required Func<double[], TConfig> Configure { get; init; }

    /// <summary>A configuration, human-readable; equal texts are the same configuration.</summary>
    public required Func<TConfig, string> Describe { get; init; }

    /// <summary>A configuration as named values.</summary>
    public required Func<TConfig, IReadOnlyDictionary<string, object>> Parameters { get; init; }

    /// <summary>The pipeline of a configuration; its training stops when the token is cancelled.</summary>
    public required Func<TConfig, CancellationToken, IEstimator<ITransformer>> Estimator { get; init; }

    /// <summary>Optional: the configuration as trained on a fold (0-based), when folds differ (their networks' seeds).</summary>
    public Func<TConfig, int, TConfig>? ForFold { get; init; }

    /// <summary>Optional: the best configuration as refitted on all the data, when that differs from its trials (an ensemble).</summary>
    public Func<TConfig, TConfig>? ForRefit { get; init; }

    /// <summary>The metric of a fitted model's output on a test set.</summary>
    public required Func<IDataView, double> Evaluate { get; init; }

    /// <summary>Runs trials on <paramref name="folds"/> and refits the best configuration on <paramref name="data"/>.</summary>
    public ExperimentResult Run(IDataView data, IReadOnlyList<(IDataView Train, IDataView Test)> folds)
    {
        var s = Settings;
        var tuner = Tuner.Create(s.Tuner, Dimensions, CheapStart, s.Seed, Levels, Cost, Portfolio);
        var trials = new List<TrialResult>();
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(s.CancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(s.MaxExperimentTimeInSeconds));
        double[]? bestPoint = null;
        double bestScore = double.PositiveInfinity;
        ITransformer? bestFoldModel = null;
        bool cancelled = false;
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        // Per configuration family (all but the epoch limit): the limit from which on a trial's networks are trained
        // again, and its score.
        var sameFrom = new Dictionary<string, List<(int FromLimit, double Score)>>(StringComparer.Ordinal);
        int duplicates = 0;
        while (trials.Count < s.MaxTrials && !budget.IsCancellationRequested)
        {
            var point = tuner.Propose();
            var config = Configure(point);
            string description = Describe(config);
            // Nearby points often map to the same configuration (discrete choices): answer those from the earlier trial
            // instead of spending a trial, a bounded number of times in a row.
            var limit = EpochLimit?.Invoke(config);
            if ((seen.TryGetValue(description, out double known) || TrainsLikeEarlier(limit, out known)) && duplicates++ < 100)
            {
                tuner.Report(point, known, repeated: true);
                continue;
            }
            duplicates = 0;
            using var memory = PeakMemory.Start();
            var trialClock = Stopwatch.StartNew();
            var metrics = new List<double>();
            int? fromLimit = 0;
            string? error = null;
            ITransformer? firstModel = null;
            try
            {
                for (int fold = 0; fold < folds.Count; fold++)
                {
                    var (train, test) = folds[fold];
                    var model = Estimator(ForFold is null ? config : ForFold(config, fold), budget.Token).Fit(train);
                    firstModel ??= model;
                    if (SameNetworkFromLimit is not null) fromLimit = SameNetworkFromLimit(model) is int e && fromLimit is int a ? Math.Max(a, e) : null;
                    double value = Evaluate(model.Transform(test));
                    if (double.IsNaN(value)) throw new InvalidOperationException($"{MetricName} is NaN.");
                    metrics.Add(value);
                }
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested)
            {
                cancelled = s.CancellationToken.IsCancellationRequested;
                error = cancelled ? "cancelled" : "stopped by the time budget";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }
            double metric = error is null ? metrics.Average() : double.NaN;
            var trial = new TrialResult(trials.Count, description, Parameters(config), metric, metrics, trialClock.Elapsed,
                memory.Peak, error, clock.Elapsed);
            trials.Add(trial);
            s.OnTrialCompleted?.Invoke(trial);
            double score = double.IsNaN(metric) ? double.PositiveInfinity : HigherIsBetter ? -metric : metric;
            tuner.Report(point, score);
            seen[description] = score;
            if (error is null && SameNetworkFromLimit is not null && limit is var (family, _) && fromLimit is int from)
            {
                if (!sameFrom.TryGetValue(family, out var runs)) sameFrom[family] = runs = [];
                runs.Add((from, score));
            }
            if (score < bestScore)
            {
                bestScore = score;
                bestPoint = point;
                bestFoldModel = firstModel;
            }
            if (cancelled) break;
        }
        cancelled |= s.CancellationToken.IsCancellationRequested;

        bool TrainsLikeEarlier((string Family, int EpochLimit)? limit, out double score)
        {
            score = double.NaN;
            if (limit is not var (family, cap) || !sameFrom.TryGetValue(family, out var runs)) return false;
            foreach (var (from, value) in runs)
            {
                if (cap < from) continue;
                score = value;
                return true;
            }
            return false;
        }

        var best = trials.Where(t => t.Succeeded).OrderBy(t => HigherIsBetter ? -t.Metric : t.Metric).FirstOrDefault();
        ITransformer? bestModel = null;
        if (best is not null && bestPoint is not null)
        {
            bestModel = bestFoldModel;
            if (!cancelled)
            {
                try
                {
                    var config = Configure(bestPoint);
                    bestModel = Estimator(ForRefit is null ? config : ForRefit(config), s.CancellationToken).Fit(data);
                }
                catch (OperationCanceledException) when (s.CancellationToken.IsCancellationRequested)
                {
                    // Cancelled while refitting: the best fold model is the best there is.
                    cancelled = true;
                }
            }
        }
        if (s.ExperimentFolder is not null) ExperimentReport.Write(s.ExperimentFolder, MetricName, HigherIsBetter, trials);
        return new ExperimentResult(MetricName, HigherIsBetter, trials, best, bestModel, cancelled);
    }
}

/// <summary>What every experiment checks and prepares before its trials.</summary>
internal static class ExperimentRunner
{
    /// <summary>Checks the settings every experiment shares.</summary>
    /// <exception cref="ArgumentNullException">No settings.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A budget, trial count or fold count out of range.</exception>
    public static ExperimentSettings Check(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.MaxExperimentTimeInSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(settings), "The time budget must be positive.");
        if (settings.MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(settings), "MaxTrials must be ≥ 1.");
        if (settings.CrossValidationFolds is < 1) throw new ArgumentOutOfRangeException(nameof(settings), "CrossValidationFolds must be ≥ 1 (1: a 20 % holdout).");
        if (settings.EnsembleSize is < 1 or > Trainers.BackPropagationTrainer.MaxEnsembleSize)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), $"EnsembleSize must be in [1, {Trainers.BackPropagationTrainer.MaxEnsembleSize}] (or null) but is {settings.EnsembleSize}.");
        }
        return settings;
    }

    /// <summary>
    /// The validation folds of <paramref name="data"/>, each side cached: <paramref name="folds"/> seeded folds of
    /// cross-validation, or with 1 a seeded 20 % holdout; stratified by <paramref name="stratify"/> when given.
    /// </summary>
    public static (IDataView Train, IDataView Test)[] Folds(NetsContext context, IDataView data, int folds, string? stratify, int seed) =>
        (folds > 1 ? context.Data.CrossValidationSplit(data, folds, stratify, seed) : [context.Data.TrainTestSplit(data, 0.2, stratify, seed)])
            .Select(f => ((IDataView)f.TrainSet.Cache(), (IDataView)f.TestSet.Cache())).ToArray();
}
