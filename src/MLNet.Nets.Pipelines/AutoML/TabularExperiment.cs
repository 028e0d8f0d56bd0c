using System.Diagnostics;
using MLNet.Nets.Data;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;

namespace MLNet.Nets.AutoML;

/// <summary>
/// An AutoML experiment over BP networks for regression, binary or multiclass classification: trials configurations of
/// the search space within the time budget, validates each (holdout or k-fold), and refits the best on all the data.
/// Failed trials (bad settings, NaN training) are recorded with their error and do not stop the experiment.
/// </summary>
public sealed class TabularExperiment
{
    private readonly NetsContext _context;

    internal TabularExperiment(NetsContext context, PredictionKind kind, ExperimentSettings settings)
    {
        _context = context;
        Kind = kind;
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (!(settings.MaxExperimentTimeInSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(settings), "The time budget must be positive.");
        if (settings.MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(settings), "MaxTrials must be ≥ 1.");
        if (settings.CrossValidationFolds is < 1) throw new ArgumentOutOfRangeException(nameof(settings), "CrossValidationFolds must be ≥ 1 (1: a 20 % holdout).");
        (MetricName, HigherIsBetter) = Metric(kind, settings.OptimizingMetric);
    }

    /// <summary>The task.</summary>
    public PredictionKind Kind { get; }
    /// <summary>The settings.</summary>
    public ExperimentSettings Settings { get; }
    /// <summary>The optimized metric.</summary>
    public string MetricName { get; }
    /// <summary>Whether larger values of it are better.</summary>
    public bool HigherIsBetter { get; }

    private static readonly string[] Higher = ["RSquared", "Accuracy", "AreaUnderRocCurve", "AreaUnderPrecisionRecallCurve", "F1Score", "MicroAccuracy", "MacroAccuracy", "LogLossReduction"];
    private static readonly string[] Lower = ["RootMeanSquaredError", "MeanAbsoluteError", "MeanSquaredError", "LogLoss"];

    private static (string, bool) Metric(PredictionKind kind, string? name)
    {
        name ??= kind switch { PredictionKind.Regression => "RSquared", PredictionKind.BinaryClassification => "Accuracy", _ => "MicroAccuracy" };
        string[] allowed = kind switch
        {
            PredictionKind.Regression => ["RSquared", "RootMeanSquaredError", "MeanAbsoluteError", "MeanSquaredError"],
            PredictionKind.BinaryClassification => ["Accuracy", "AreaUnderRocCurve", "AreaUnderPrecisionRecallCurve", "F1Score", "LogLoss", "LogLossReduction"],
            _ => ["MicroAccuracy", "MacroAccuracy", "LogLoss", "LogLossReduction"],
        };
        var match = allowed.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{name}' is not a {kind} metric; use one of {string.Join(", ", allowed)}.");
        return (match, Higher.Contains(match) && !Lower.Contains(match));
    }

    /// <summary>Runs the experiment on <paramref name="trainData"/>.</summary>
    /// <param name="trainData">The training data (validation splits are taken from it).</param>
    /// <param name="labelColumnName">The label: Single (regression), Boolean or 0/1 (binary), any values (multiclass, mapped to keys).</param>
    /// <param name="featureColumnName">A Single vector of features; null concatenates every other Single column into "Features".</param>
    public ExperimentResult Execute(IDataView trainData, string labelColumnName = "Label", string? featureColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var s = Settings;
        var data = trainData.Cache(s.CancellationToken);
        var label = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException($"The label column '{labelColumnName}' is not in the data. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        string features = featureColumnName ?? "Features";
        IEstimator<ITransformer>? featurizer = null;
        if (featureColumnName is null)
        {
            var inputs = data.Schema.Where(c => c.Name != labelColumnName && c.Type.Kind == DataKind.Single).Select(c => c.Name).ToArray();
            if (inputs.Length == 0) throw new ArgumentException("There are no Single feature columns besides the label.");
            featurizer = _context.Transforms.Concatenate(features, inputs);
        }
        bool mapLabel = Kind == PredictionKind.MulticlassClassification && label.Type is not KeyDataViewType;
        if (mapLabel)
        {
            var keys = _context.Transforms.Conversion.MapValueToKey(labelColumnName, keyOrdinality: KeyOrdinality.ByValue);
            featurizer = featurizer is null ? keys : featurizer.Append(keys);
        }
        var prepared = featurizer?.Fit(data).Transform(data) ?? data;
        int featureCount = prepared.Schema[features].Type.Size;
        int outputs = Kind == PredictionKind.MulticlassClassification ? ((KeyDataViewType)prepared.Schema[labelColumnName].Type).Count : 1;

        string? stratify = Kind == PredictionKind.Regression ? null : labelColumnName;
        // Small data sets get 5-fold cross-validation by default: one holdout of a few hundred rows is too noisy to rank trials.
        int? foldCount = s.CrossValidationFolds ?? (data.RowCount < 10_000 ? 5 : null);
        var folds = foldCount is int k and > 1
            ? _context.Data.CrossValidationSplit(data, k, stratify, s.Seed)
            : [_context.Data.TrainTestSplit(data, 0.2, stratify, s.Seed)];
        var folded = folds.Select(f => (Train: f.TrainSet.Cache(), Test: f.TestSet.Cache())).ToArray();

        var tuner = Tuner.Create(s.Tuner, BackPropagationSearchSpace.Dimensions, BackPropagationSearchSpace.CheapStart, s.Seed);
        var trials = new List<TrialResult>();
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(s.CancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(s.MaxExperimentTimeInSeconds));
        double[]? bestPoint = null;
        double bestScore = double.PositiveInfinity;
        ITransformer? bestFoldModel = null;
        bool cancelled = false;
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        int duplicates = 0;
        while (trials.Count < s.MaxTrials && !budget.IsCancellationRequested)
        {
            var point = tuner.Propose();
            // One network seed for every trial: differences between trials then come from the configurations, not from initial weights.
            var options = BackPropagationSearchSpace.Options(point, featureCount, outputs, labelColumnName, features, s.Seed);
            // Nearby points often map to the same configuration (layer counts, algorithms are discrete): answer those from
            // the earlier trial instead of spending a trial, a bounded number of times in a row.
            if (seen.TryGetValue(BackPropagationSearchSpace.Describe(options), out double known) && duplicates++ < 100)
            {
                tuner.Report(point, known);
                continue;
            }
            duplicates = 0;
            options.CancellationToken = budget.Token;
            var trialClock = Stopwatch.StartNew();
            var metrics = new List<double>();
            string? error = null;
            ITransformer? firstModel = null;
            try
            {
                foreach (var (train, test) in folded)
                {
                    var estimator = Estimator(featurizer, options, mapLabel);
                    var model = estimator.Fit(train);
                    firstModel ??= model;
                    double value = Evaluate(model.Transform(test), labelColumnName);
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
            var trial = new TrialResult(trials.Count, BackPropagationSearchSpace.Describe(options), BackPropagationSearchSpace.Parameters(options), metric,
                metrics, trialClock.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64, error, clock.Elapsed);
            trials.Add(trial);
            s.OnTrialCompleted?.Invoke(trial);
            double score = double.IsNaN(metric) ? double.PositiveInfinity : HigherIsBetter ? -metric : metric;
            tuner.Report(point, score);
            seen[trial.Settings] = score;
            if (score < bestScore)
            {
                bestScore = score;
                bestPoint = point;
                bestFoldModel = firstModel;
            }
            if (cancelled) break;
        }
        cancelled |= s.CancellationToken.IsCancellationRequested;
        var best = trials.Where(t => t.Succeeded).OrderBy(t => HigherIsBetter ? -t.Metric : t.Metric).FirstOrDefault();
        ITransformer? bestModel = null;
        if (best is not null && bestPoint is not null)
        {
            if (cancelled)
            {
                bestModel = bestFoldModel;
            }
            else
            {
                var options = BackPropagationSearchSpace.Options(bestPoint, featureCount, outputs, labelColumnName, features, s.Seed);
                bestModel = Estimator(featurizer, options, mapLabel).Fit(data);
            }
        }
        if (s.ExperimentFolder is not null) ExperimentReport.Write(s.ExperimentFolder, MetricName, HigherIsBetter, trials);
        return new ExperimentResult(MetricName, HigherIsBetter, trials, best, bestModel, cancelled);
    }

    private IEstimator<ITransformer> Estimator(IEstimator<ITransformer>? featurizer, BackPropagationOptions options, bool mapLabel)
    {
        IEstimator<ITransformer> trainer = Kind switch
        {
            PredictionKind.Regression => _context.Regression.Trainers.BackPropagation(options),
            PredictionKind.BinaryClassification => _context.BinaryClassification.Trainers.BackPropagation(options),
            _ => _context.MulticlassClassification.Trainers.BackPropagation(options),
        };
        var chain = featurizer is null ? trainer : featurizer.Append(trainer);
        return mapLabel ? chain.Append(_context.Transforms.Conversion.MapKeyToValue("PredictedLabel")) : chain;
    }

    private double Evaluate(IDataView scored, string label)
    {
        switch (Kind)
        {
            case PredictionKind.Regression:
                var r = _context.Regression.Evaluate(scored, label);
                return MetricName switch
                {
                    "RSquared" => r.RSquared,
                    "RootMeanSquaredError" => r.RootMeanSquaredError,
                    "MeanAbsoluteError" => r.MeanAbsoluteError,
                    _ => r.MeanSquaredError,
                };
            case PredictionKind.BinaryClassification:
                var b = _context.BinaryClassification.Evaluate(scored, label);
                return MetricName switch
                {
                    "Accuracy" => b.Accuracy,
                    "AreaUnderRocCurve" => b.AreaUnderRocCurve,
                    "AreaUnderPrecisionRecallCurve" => b.AreaUnderPrecisionRecallCurve,
                    "F1Score" => b.F1Score,
                    "LogLoss" => b.LogLoss,
                    _ => b.LogLossReduction,
                };
            default:
                var m = _context.MulticlassClassification.Evaluate(scored, label);
                return MetricName switch
                {
                    "MicroAccuracy" => m.MicroAccuracy,
                    "MacroAccuracy" => m.MacroAccuracy,
                    "LogLoss" => m.LogLoss,
                    _ => m.LogLossReduction,
                };
        }
    }
}
