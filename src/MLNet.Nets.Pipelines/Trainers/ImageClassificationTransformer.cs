using MLNet.Nets.Data;
using MLNet.Nets.Images;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Classifies images with a transferred network: the input column (paths, images or prepared pixels) is prepared as the
/// weights expect, run through the network stages (feature extractor then head, or the fine-tuned whole), and gives
/// <c>Score</c> (class probabilities) and key <c>PredictedLabel</c>. Undecodable images give NaN scores and key 0.
/// </summary>
[TransformerLoader("ImageClassification")]
public sealed class ImageClassificationTransformer : RowToRowTransformer
{
    private readonly NetworkInput _input;
    private readonly Model[] _stages;
    private readonly object _gate = new();

    /// <summary>
    /// Fresh from training: when the options' early stopping ended training, the epochs whose weights were kept (the best
    /// epoch's when it restores them, else all it ran) — with the same options (and no learning-rate schedule that
    /// depends on the limit) and any epoch limit from there on, the same network is trained; null when the epoch limit
    /// ended training or there was no early stopping. Not saved.
    /// </summary>
    internal int? SameNetworkFromEpochs { get; init; }

    internal ImageClassificationTransformer(NetworkInput input, Model[] stages, string featureColumnName, Array? keyValues, int classCount, bool skipBadImages)
    {
        _input = input;
        _stages = stages;
        FeatureColumnName = featureColumnName;
        LabelKeyValues = keyValues;
        ClassCount = classCount;
        SkipBadImages = skipBadImages;
    }

    /// <summary>The networks applied in order (extractor and head, or one fine-tuned network).</summary>
    public IReadOnlyList<Model> Stages => _stages;

    /// <summary>The input column.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The classes' values, or null.</summary>
    public Array? LabelKeyValues { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Whether undecodable images give missing predictions instead of an error.</summary>
    public bool SkipBadImages { get; }

    internal static Tensor Run(IReadOnlyList<Model> stages, Tensor x)
    {
        foreach (var stage in stages) x = stage.Predict(x, batchSize: 64);
        return x;
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, FeatureColumnName, "image");
        _input.Check(column);
        DataBatch? last = null;
        float[] probabilities = [];
        float[] Probabilities(DataBatch batch)
        {
            lock (_gate)
            {
                if (ReferenceEquals(batch, last)) return probabilities;
                var x = _input.Read(batch, column, SkipBadImages, out var valid);
                var p = batch.RowCount == 0 ? [] : Run(_stages, x).Span.ToArray();
                ClassScores.Softmax(p, ClassCount);
                for (int r = 0; r < valid.Length; r++) if (!valid[r]) p.AsSpan(r * ClassCount, ClassCount).Fill(float.NaN);
                last = batch;
                probabilities = p;
                return p;
            }
        }
        var slotNames = LabelKeyValues is null ? null : DataViewSchema.Annotations.ForSlotNames(LabelKeyValues.Cast<object>().Select(DataViewExtensions.FormatItem).ToArray());
        var keyAnnotations = LabelKeyValues is null ? null : DataViewSchema.Annotations.ForKeyValues(LabelKeyValues);
        int[] inputs = [column.Index];
        return
        [
            new ColumnBinding("Score", new VectorDataViewType(NumberDataViewType.Single, ClassCount), inputs, b => (float[])Probabilities(b).Clone(), slotNames),
            new ColumnBinding("PredictedLabel", new KeyDataViewType(ClassCount), inputs, b =>
            {
                var p = Probabilities(b);
                var keys = ClassScores.ArgMax(p, b.RowCount, ClassCount);
                for (int r = 0; r < keys.Length; r++) if (float.IsNaN(p[r * ClassCount])) keys[r] = 0;
                return keys;
            }, keyAnnotations),
        ];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["featureColumn"] = FeatureColumnName;
        context.Config["classCount"] = ClassCount;
        context.Config["skipBadImages"] = SkipBadImages;
        context.Config["stages"] = _stages.Length;
        if (LabelKeyValues is not null) context.Config["keyValues"] = SchemaJson.WriteValues(LabelKeyValues);
        _input.Save(context);
        for (int i = 0; i < _stages.Length; i++) context.WriteModel($"stage{i}", _stages[i]);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ImageClassificationTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int stages = context.Get<int>("stages");
        if (stages is < 1 or > 8) throw new InvalidDataException($"Model file '{context.Source}': {stages} network stages.");
        var keyValues = context.Config["keyValues"] is System.Text.Json.Nodes.JsonObject kv ? SchemaJson.ReadValues(kv, context.Source) : null;
        return new ImageClassificationTransformer(NetworkInput.Load(context), Enumerable.Range(0, stages).Select(i => context.ReadModel($"stage{i}")).ToArray(),
            context.Get<string>("featureColumn"), keyValues, context.Get<int>("classCount"), context.Get<bool>("skipBadImages"));
    }
}
