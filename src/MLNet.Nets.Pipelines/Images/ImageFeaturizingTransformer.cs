using MLNet.Nets.Data;
using MLNet.Nets.Models;
using MLNet.Nets.Trainers;

namespace MLNet.Nets.Images;

/// <summary>
/// A pretrained network without its head as a transform (the role of ML.NET's DnnFeaturizeImage): image paths, images or
/// prepared pixels in, the embedding vector out, so any trainer can sit on top of it. Undecodable images give NaN.
/// </summary>
[TransformerLoader("FeaturizeImage")]
public sealed class ImageFeaturizingTransformer : RowToRowTransformer
{
    private readonly NetworkInput _input;
    private readonly object _gate = new();

    internal ImageFeaturizingTransformer(string outputColumnName, string inputColumnName, NetworkInput input, Model extractor, bool skipBadImages)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _input = input;
        Extractor = extractor;
        SkipBadImages = skipBadImages;
        FeatureCount = extractor.Outputs[0].Shape.Aggregate(1, (a, b) => a * b);
    }

    /// <summary>The embedding column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The image column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The pretrained feature extractor.</summary>
    public Model Extractor { get; }
    /// <summary>Length of the embedding.</summary>
    public int FeatureCount { get; }
    /// <summary>Whether undecodable images give NaN instead of an error.</summary>
    public bool SkipBadImages { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "image");
        _input.Check(column);
        int f = FeatureCount;
        return [new ColumnBinding(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, f), [column.Index], batch =>
        {
            lock (_gate)
            {
                var x = _input.Read(batch, column, SkipBadImages, out var valid);
                var y = batch.RowCount == 0 ? [] : ImageClassificationTransformer.Run([Extractor], x).Span.ToArray();
                for (int r = 0; r < valid.Length; r++) if (!valid[r]) y.AsSpan(r * f, f).Fill(float.NaN);
                return y;
            }
        })];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        context.Config["skipBadImages"] = SkipBadImages;
        _input.Save(context);
        context.WriteModel("extractor", Extractor);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ImageFeaturizingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ImageFeaturizingTransformer(context.Get<string>("output"), context.Get<string>("input"), NetworkInput.Load(context),
            context.ReadModel("extractor"), context.Get<bool>("skipBadImages"));
    }
}
