using MLNet.Nets.Data;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Classifies pixel vectors with a trained network: <c>Score</c> (class probabilities, the softmax of the logits) and key
/// <c>PredictedLabel</c> (the most probable class; ties to the lowest). Saves the network inside the pipeline's <c>.zip</c>.
/// </summary>
[TransformerLoader("CnnPrediction")]
public sealed class CnnPredictionTransformer : RowToRowTransformer
{
    private readonly object _gate = new();

    internal CnnPredictionTransformer(Model network, string featureColumnName, string labelColumnName, (int Channels, int Height, int Width) shape,
        Array? keyValues, int classCount)
    {
        Network = network;
        FeatureColumnName = featureColumnName;
        LabelColumnName = labelColumnName;
        ImageShape = shape;
        LabelKeyValues = keyValues;
        ClassCount = classCount;
    }

    /// <summary>The trained network (logits out).</summary>
    public Model Network { get; }

    /// <summary>The pixel column read.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The label column trained on.</summary>
    public string LabelColumnName { get; }

    /// <summary>The input shape (channels, height, width).</summary>
    public (int Channels, int Height, int Width) ImageShape { get; }

    /// <summary>The classes' values, or null.</summary>
    public Array? LabelKeyValues { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var feature = RequireColumn(input, FeatureColumnName, "feature");
        int size = ImageShape.Channels * ImageShape.Height * ImageShape.Width;
        if (feature.Type.Kind != DataKind.Single || feature.Type.Size != size)
        {
            throw new ArgumentException($"The feature column '{FeatureColumnName}' must hold {size} Single values [{ImageShape}] but holds {feature.Type}.");
        }
        DataBatch? last = null;
        float[] probabilities = [];
        float[] Probabilities(DataBatch batch)
        {
            lock (_gate)
            {
                if (ReferenceEquals(batch, last)) return probabilities;
                var x = new Tensor(batch.GetValues<float>(feature.Index), batch.RowCount, ImageShape.Channels, ImageShape.Height, ImageShape.Width);
                var logits = batch.RowCount == 0 ? [] : Network.Predict(x, batchSize: 256).Span.ToArray();
                ClassScores.Softmax(logits, ClassCount);
                last = batch;
                probabilities = logits;
                return logits;
            }
        }
        var slotNames = LabelKeyValues is null ? null : DataViewSchema.Annotations.ForSlotNames(LabelKeyValues.Cast<object>().Select(DataViewExtensions.FormatItem).ToArray());
        var keyAnnotations = LabelKeyValues is null ? null : DataViewSchema.Annotations.ForKeyValues(LabelKeyValues);
        int[] inputs = [feature.Index];
        return
        [
            new ColumnBinding("Score", new VectorDataViewType(NumberDataViewType.Single, ClassCount), inputs, b => (float[])Probabilities(b).Clone(), slotNames),
            new ColumnBinding("PredictedLabel", new KeyDataViewType(ClassCount), inputs, b => ClassScores.ArgMax(Probabilities(b), b.RowCount, ClassCount), keyAnnotations),
        ];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["featureColumn"] = FeatureColumnName;
        context.Config["labelColumn"] = LabelColumnName;
        context.Config["channels"] = ImageShape.Channels;
        context.Config["height"] = ImageShape.Height;
        context.Config["width"] = ImageShape.Width;
        context.Config["classCount"] = ClassCount;
        if (LabelKeyValues is not null) context.Config["keyValues"] = SchemaJson.WriteValues(LabelKeyValues);
        context.WriteModel("network", Network);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static CnnPredictionTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keyValues = context.Config["keyValues"] is System.Text.Json.Nodes.JsonObject kv ? SchemaJson.ReadValues(kv, context.Source) : null;
        return new CnnPredictionTransformer(context.ReadModel("network"), context.Get<string>("featureColumn"), context.Get<string>("labelColumn"),
            (context.Get<int>("channels"), context.Get<int>("height"), context.Get<int>("width")), keyValues, context.Get<int>("classCount"));
    }
}
