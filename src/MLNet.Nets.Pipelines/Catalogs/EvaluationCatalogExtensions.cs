using MLNet.Nets.Catalogs;
using MLNet.Nets.Data;
using MLNet.Nets.Evaluation;

namespace MLNet.Nets;

/// <summary><c>Evaluate</c> and <c>CrossValidate</c> on the task catalogs, as in ML.NET.</summary>
public static class EvaluationCatalogExtensions
{
    /// <summary>Regression metrics of a scored view; rows whose label is NaN are skipped.</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it).</exception>
    public static RegressionMetrics Evaluate(this RegressionCatalog catalog, IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var label = Column(data, labelColumnName, "label", t => t is NumberDataViewType { Kind: DataKind.Single or DataKind.Double or DataKind.Int32 }, "a number");
        var score = Column(data, scoreColumnName, "score", t => t == NumberDataViewType.Single, "Single");
        var labels = new List<float>();
        var scores = new List<float>();
        foreach (var batch in data.GetBatches([label.Index, score.Index]))
        {
            var l = batch.GetArray(label.Index);
            var s = batch.GetValues<float>(score.Index);
            for (int r = 0; r < batch.RowCount; r++)
            {
                float value = (float)LabelValues.Read(l, r);
                if (float.IsNaN(value)) continue;
                labels.Add(value);
                scores.Add(s[r]);
            }
        }
        return RegressionEvaluator.Evaluate(labels.ToArray(), scores.ToArray());
    }

    /// <summary>Binary metrics of a scored view (Boolean or 0/1 label; <c>Score</c> and <c>Probability</c>).</summary>
    public static BinaryClassificationMetrics Evaluate(this BinaryClassificationCatalog catalog, IDataView data, string labelColumnName = "Label",
        string scoreColumnName = "Score", string probabilityColumnName = "Probability", float threshold = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var label = Column(data, labelColumnName, "label", t => t is BooleanDataViewType || t is NumberDataViewType, "Boolean or 0/1");
        var score = Column(data, scoreColumnName, "score", t => t == NumberDataViewType.Single, "Single");
        var probability = Column(data, probabilityColumnName, "probability", t => t == NumberDataViewType.Single, "Single");
        var labels = new List<bool>();
        var scores = new List<float>();
        var probabilities = new List<float>();
        long row = 0;
        foreach (var batch in data.GetBatches([label.Index, score.Index, probability.Index]))
        {
            var l = batch.GetArray(label.Index);
            var s = batch.GetValues<float>(score.Index);
            var p = batch.GetValues<float>(probability.Index);
            for (int r = 0; r < batch.RowCount; r++, row++)
            {
                double value = LabelValues.Read(l, r);
                if (double.IsNaN(value)) continue;
                if (value is not (0 or 1)) throw new ArgumentException($"The label '{labelColumnName}' of row {row} is {value}; a binary label is Boolean or 0/1.");
                labels.Add(value == 1);
                scores.Add(s[r]);
                probabilities.Add(p[r]);
            }
        }
        return BinaryClassificationEvaluator.Evaluate(labels.ToArray(), scores.ToArray(), probabilities.ToArray(), threshold);
    }

    /// <summary>Multiclass metrics of a scored view: a key label (rows with a missing key are skipped) and a <c>Score</c> vector of class probabilities.</summary>
    public static MulticlassClassificationMetrics Evaluate(this MulticlassClassificationCatalog catalog, IDataView data, string labelColumnName = "Label",
        string scoreColumnName = "Score", int topKPredictionCount = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var label = Column(data, labelColumnName, "label", t => t is KeyDataViewType, "a key (use MapValueToKey)");
        var score = Column(data, scoreColumnName, "score", t => t.IsVector && t.Kind == DataKind.Single, "a Single vector");
        int k = score.Type.Size;
        if (((KeyDataViewType)label.Type).Count != k)
        {
            throw new ArgumentException($"The label '{labelColumnName}' has {((KeyDataViewType)label.Type).Count} classes but the score '{scoreColumnName}' {k}.");
        }
        var labels = new List<int>();
        var probabilities = new List<float>();
        foreach (var batch in data.GetBatches([label.Index, score.Index]))
        {
            var l = batch.GetValues<uint>(label.Index);
            var s = batch.GetValues<float>(score.Index);
            for (int r = 0; r < batch.RowCount; r++)
            {
                if (l[r] == 0) continue;
                labels.Add((int)l[r] - 1);
                probabilities.AddRange(s.AsSpan(r * k, k));
            }
        }
        var names = label.Annotations.KeyValues?.Cast<object>().Select(DataViewExtensions.FormatItem).ToArray();
        return MulticlassClassificationEvaluator.Evaluate(labels.ToArray(), probabilities.ToArray(), k, topKPredictionCount, names);
    }

    /// <summary>
    /// k-fold cross-validation of <paramref name="estimator"/>: the rows are split into <paramref name="numberOfFolds"/> folds
    /// (seeded; stratified by a column when given); for each fold a model is fitted on the others and evaluated on it.
    /// Summarize with <see cref="Summarize{TMetrics}"/>.
    /// </summary>
    public static IReadOnlyList<CrossValidationResult<RegressionMetrics>> CrossValidate(this RegressionCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int numberOfFolds = 5, string labelColumnName = "Label", string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Run(catalog.Context, data, estimator, numberOfFolds, stratificationColumnName, seed, scored => catalog.Evaluate(scored, labelColumnName));
    }

    /// <summary>k-fold cross-validation of a binary classifier (see the regression overload).</summary>
    public static IReadOnlyList<CrossValidationResult<BinaryClassificationMetrics>> CrossValidate(this BinaryClassificationCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int numberOfFolds = 5, string labelColumnName = "Label", string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Run(catalog.Context, data, estimator, numberOfFolds, stratificationColumnName, seed, scored => catalog.Evaluate(scored, labelColumnName));
    }

    /// <summary>k-fold cross-validation of a multiclass classifier (see the regression overload).</summary>
    public static IReadOnlyList<CrossValidationResult<MulticlassClassificationMetrics>> CrossValidate(this MulticlassClassificationCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int numberOfFolds = 5, string labelColumnName = "Label", string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Run(catalog.Context, data, estimator, numberOfFolds, stratificationColumnName, seed, scored => catalog.Evaluate(scored, labelColumnName));
    }

    /// <summary>Mean and standard deviation of each metric over the folds.</summary>
    public static MetricsSummary<TMetrics> Summarize<TMetrics>(this IEnumerable<CrossValidationResult<TMetrics>> results) where TMetrics : class =>
        new(results.Select(r => r.Metrics));

    private static IReadOnlyList<CrossValidationResult<TMetrics>> Run<TMetrics>(NetsContext context, IDataView data, IEstimator<ITransformer> estimator,
        int folds, string? stratification, int? seed, Func<IDataView, TMetrics> evaluate) where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        var cached = data.Cache();
        var splits = context.Data.CrossValidationSplit(cached, folds, stratification, seed);
        var results = new List<CrossValidationResult<TMetrics>>();
        for (int f = 0; f < splits.Count; f++)
        {
            var model = estimator.Fit(splits[f].TrainSet);
            var scored = model.Transform(splits[f].TestSet);
            results.Add(new CrossValidationResult<TMetrics>(f, model, evaluate(scored), scored));
        }
        return results;
    }

    private static DataViewSchema.Column Column(IDataView data, string name, string role, Func<DataViewType, bool> ok, string expected)
    {
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The {role} column '{name}' is not in the data. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        if (!ok(column.Type)) throw new ArgumentException($"The {role} column '{name}' holds {column.Type}; it must be {expected}.");
        return column;
    }
}
