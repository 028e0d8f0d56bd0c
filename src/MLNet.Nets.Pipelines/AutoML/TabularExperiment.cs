using MLNet.Nets.Data;
using MLNet.Nets.Trainers;
using MLNet.Nets.Training;
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
        Settings = ExperimentRunner.Check(settings);
        (MetricName, HigherIsBetter) = ExperimentMetric.Resolve(kind, settings.OptimizingMetric);
    }

    /// <summary>Networks of the best configuration the final refit averages when <see cref="ExperimentSettings.EnsembleSize"/> is null.</summary>
    public const int DefaultEnsembleSize = 5;

    /// <summary>The task.</summary>
    public PredictionKind Kind { get; }
    /// <summary>The settings.</summary>
    public ExperimentSettings Settings { get; }
    /// <summary>The optimized metric.</summary>
    public string MetricName { get; }
    /// <summary>Whether larger values of it are better.</summary>
    public bool HigherIsBetter { get; }

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
        int foldCount = s.CrossValidationFolds ?? (data.RowCount < 10_000 ? 5 : 1);
        var folds = ExperimentRunner.Folds(_context, data, foldCount, stratify, s.Seed);
        var runner = new ExperimentRunner<BackPropagationOptions>
        {
            Settings = s, MetricName = MetricName, HigherIsBetter = HigherIsBetter,
            Dimensions = BackPropagationSearchSpace.Dimensions, CheapStart = BackPropagationSearchSpace.CheapStart,
            Levels = BackPropagationSearchSpace.Levels,
            // The portfolio was learned on a few hundred rows; on large data its 1,000-epoch networks could take the whole
            // budget, so those start cheap.
            Portfolio = Kind == PredictionKind.Regression && data.RowCount <= BackPropagationSearchSpace.PortfolioRowLimit ? BackPropagationSearchSpace.RegressionPortfolio : null,
            EpochLimit = BackPropagationSearchSpace.EpochLimit, SameNetworkFromLimit = BackPropagationSearchSpace.SameNetworkFromLimit,
            Configure = point => BackPropagationSearchSpace.Options(point, featureCount, outputs, data.RowCount, labelColumnName, features, s.Seed),
            // Each fold's network has a seed of its own, the same in every trial: a configuration's score then averages as
            // many initial weights as there are folds (one seed on every fold gives correlated draws, and the best of many
            // trials is then often a lucky one), and trials still differ by their configurations, not by their seeds.
            ForFold = (options, fold) =>
            {
                options.Seed = fold == 0 ? s.Seed : Seeds.Combine(s.Seed, fold);
                return options;
            },
            ForRefit = options =>
            {
                options.EnsembleSize = s.EnsembleSize ?? DefaultEnsembleSize;
                return options;
            },
            Describe = BackPropagationSearchSpace.Describe,
            Parameters = BackPropagationSearchSpace.Parameters,
            Estimator = (options, token) =>
            {
                options.CancellationToken = token;
                return Estimator(featurizer, options, mapLabel);
            },
            Evaluate = scored => ExperimentMetric.Read(_context, Kind, MetricName, scored, labelColumnName),
        };
        return runner.Run(data, folds);
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
}
