using MLNet.Nets.Data;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Scores rows with a trained back-propagation network, adding ML.NET's output columns: regression <c>Score</c>;
/// binary <c>Score</c> (logit), <c>Probability</c> and Boolean <c>PredictedLabel</c> (probability ≥ 0.5); multiclass
/// <c>Score</c> (a vector of class probabilities) and key <c>PredictedLabel</c> (most probable class, ties to the lowest).
/// </summary>
[TransformerLoader("BackPropagationPrediction")]
public sealed class BackPropagationPredictionTransformer : RowToRowTransformer
{
    private readonly Array? _keyValues;

    internal BackPropagationPredictionTransformer(BackPropagationModel model, string featureColumnName, string labelColumnName, Array? keyValues, int classCount)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        LabelColumnName = labelColumnName;
        _keyValues = keyValues;
        ClassCount = classCount;
    }

    /// <summary>The trained network and its mappings.</summary>
    public BackPropagationModel Model { get; }

    /// <summary>The feature column read.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The label column the network was trained on (not read when scoring; tools use it to evaluate).</summary>
    public string LabelColumnName { get; }

    /// <summary>Number of classes (multiclass), else 0.</summary>
    public int ClassCount { get; }

    /// <summary>The label's category values (multiclass), or null.</summary>
    public Array? LabelKeyValues => _keyValues;

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var feature = RequireColumn(input, FeatureColumnName, "feature");
        if (feature.Type.Kind != DataKind.Single || feature.Type.Size != Model.FeatureCount)
        {
            throw new ArgumentException($"The feature column '{FeatureColumnName}' must hold {Model.FeatureCount} Single values but holds {feature.Type}.");
        }
        var scorer = new BatchScorer(this, feature.Index);
        int[] inputs = [feature.Index];
        switch (Model.Kind)
        {
            case PredictionKind.Regression:
                return [new ColumnBinding("Score", NumberDataViewType.Single, inputs, b => scorer.Outputs(b))];
            case PredictionKind.BinaryClassification:
                return
                [
                    new ColumnBinding("Score", NumberDataViewType.Single, inputs, b => scorer.Outputs(b)),
                    new ColumnBinding("Probability", NumberDataViewType.Single, inputs, b => scorer.Probabilities(b)),
                    new ColumnBinding("PredictedLabel", BooleanDataViewType.Instance, inputs, b => scorer.BinaryLabels(b)),
                ];
            default:
                var slotNames = _keyValues is null ? null : DataViewSchema.Annotations.ForSlotNames(_keyValues.Cast<object>().Select(DataViewExtensions.FormatItem).ToArray());
                var keyAnnotations = _keyValues is null ? null : DataViewSchema.Annotations.ForKeyValues(_keyValues);
                return
                [
                    new ColumnBinding("Score", new VectorDataViewType(NumberDataViewType.Single, ClassCount), inputs, b => scorer.Probabilities(b), slotNames),
                    new ColumnBinding("PredictedLabel", new KeyDataViewType(ClassCount), inputs, b => scorer.KeyLabels(b), keyAnnotations),
                ];
        }
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["featureColumn"] = FeatureColumnName;
        context.Config["labelColumn"] = LabelColumnName;
        context.Config["classCount"] = ClassCount;
        if (_keyValues is not null) context.Config["keyValues"] = SchemaJson.WriteValues(_keyValues);
        Model.Save(context);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static BackPropagationPredictionTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = BackPropagationModel.Load(context);
        int classes = context.Get<int>("classCount");
        var keyValues = context.Config["keyValues"] is System.Text.Json.Nodes.JsonObject kv ? SchemaJson.ReadValues(kv, context.Source) : null;
        if (model.Kind == PredictionKind.MulticlassClassification && model.OutputCount != classes)
        {
            throw new InvalidDataException($"Model file '{context.Source}': the network has {model.OutputCount} outputs but {classes} classes.");
        }
        return new BackPropagationPredictionTransformer(model, context.Get<string>("featureColumn"), context.Get<string>("labelColumn"), keyValues, classes);
    }

    /// <summary>Runs the network once per batch and derives every output column from the same outputs.</summary>
    private sealed class BatchScorer(BackPropagationPredictionTransformer owner, int featureIndex)
    {
        private readonly object _gate = new();
        private DataBatch? _lastBatch;
        private float[] _lastOutputs = [];

        private float[] Raw(DataBatch batch)
        {
            lock (_gate)
            {
                if (ReferenceEquals(batch, _lastBatch)) return _lastOutputs;
                var model = owner.Model;
                var x = batch.GetValues<float>(featureIndex);
                var outputs = batch.RowCount == 0 ? [] : model.Predict(new Tensor(x, batch.RowCount, model.FeatureCount)).Span.ToArray();
                _lastBatch = batch;
                _lastOutputs = outputs;
                return outputs;
            }
        }

        public Array Outputs(DataBatch batch)
        {
            var raw = Raw(batch);
            if (owner.Model.Kind != PredictionKind.BinaryClassification || !owner.Model.OutputsAreProbabilities) return (float[])raw.Clone();
            var score = new float[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                double p = Math.Clamp(raw[i], 1e-7, 1 - 1e-7);
                score[i] = (float)Math.Log(p / (1 - p));
            }
            return score;
        }

        public Array Probabilities(DataBatch batch)
        {
            var raw = Raw(batch);
            var model = owner.Model;
            var p = new float[raw.Length];
            if (model.Kind == PredictionKind.BinaryClassification)
            {
                for (int i = 0; i < raw.Length; i++) p[i] = model.OutputsAreProbabilities ? Math.Clamp(raw[i], 0f, 1f) : (float)(1 / (1 + Math.Exp(-raw[i])));
                return p;
            }
            int k = owner.ClassCount;
            if (!model.OutputsAreProbabilities)
            {
                raw.CopyTo(p, 0);
                ClassScores.Softmax(p, k);
                return p;
            }
            for (int r = 0; r < batch.RowCount; r++)
            {
                var row = raw.AsSpan(r * k, k);
                var target = p.AsSpan(r * k, k);
                double sum = 0;
                for (int j = 0; j < k; j++) sum += Math.Max(0f, row[j]);
                for (int j = 0; j < k; j++) target[j] = sum > 0 ? (float)(Math.Max(0f, row[j]) / sum) : 1f / k;
            }
            return p;
        }

        public Array BinaryLabels(DataBatch batch)
        {
            var p = (float[])Probabilities(batch);
            var labels = new bool[p.Length];
            for (int i = 0; i < p.Length; i++) labels[i] = p[i] >= 0.5f;
            return labels;
        }

        public Array KeyLabels(DataBatch batch) => ClassScores.ArgMax((float[])Probabilities(batch), batch.RowCount, owner.ClassCount);
    }
}
