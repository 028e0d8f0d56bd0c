using MLNet.Nets.Data;
using MLNet.Nets.Training;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Images;

/// <summary>
/// Training-only image augmentation (random resized crop, horizontal flip, small rotation, brightness/contrast jitter),
/// seeded. While a chain is fitted, the steps after it see augmented images — different on every read of the data, so a
/// trainer that streams its data (<c>CnnOptions.MemoryBudgetBytes = 0</c>) gets new variants every epoch. At inference
/// the images pass unchanged, or, with a crop size, are centre-cropped to the aspect ratio and resized to it.
/// </summary>
[TransformerLoader("AugmentImages")]
public sealed class ImageAugmentingTransformer : RowToRowTransformer, ITrainingTimeTransformer
{
    private int _passes;

    /// <summary>A transformer augmenting <paramref name="columnName"/> in place.</summary>
    public ImageAugmentingTransformer(string columnName, AugmentationOptions options, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(columnName);
        ColumnName = columnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if ((options.CropWidth > 0) != (options.CropHeight > 0)) throw new ArgumentException("Give both CropWidth and CropHeight, or neither.");
        Seed = seed;
    }

    /// <summary>The image column.</summary>
    public string ColumnName { get; }
    /// <summary>The augmentation.</summary>
    public AugmentationOptions Options { get; }
    /// <summary>The seed; pass k over the data uses a generator derived from (seed, k, row offset).</summary>
    public int Seed { get; }

    private bool Crops => Options.CropWidth > 0;

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = Column(input);
        if (!Crops) return [new ColumnBinding(ColumnName, column.Type, [column.Index], b => b.GetArray(column.Index), column.Annotations)];
        return [new ColumnBinding(ColumnName, new ImageDataViewType(Options.CropHeight, Options.CropWidth), [column.Index], batch =>
            Map(batch, column.Index, image => ImageResizer.Resize(image, Options.CropWidth, Options.CropHeight, ResizeFilter.Bilinear, ResizeMode.CropToAspect)))];
    }

    /// <inheritdoc/>
    public IDataView TransformForTraining(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = Column(input.Schema);
        DataViewType type = Crops ? new ImageDataViewType(Options.CropHeight, Options.CropWidth) : column.Type;
        return new AugmentedView(this, input, column.Index, type);
    }

    private DataViewSchema.Column Column(DataViewSchema schema)
    {
        var column = RequireColumn(schema, ColumnName, "image");
        if (column.Type is not ImageDataViewType) throw new ArgumentException($"The column '{ColumnName}' must hold images but holds {column.Type}; add LoadImages first.");
        return column;
    }

    private static Image?[] Map(DataBatch batch, int column, Func<Image, Image> map)
    {
        var source = (Image?[])batch.GetArray(column);
        var result = new Image?[source.Length];
        for (int i = 0; i < source.Length; i++) if (source[i] is { } image) result[i] = map(image);
        return result;
    }

    /// <summary>Augments on every read with a fresh, seeded generator per pass and batch.</summary>
    private sealed class AugmentedView(ImageAugmentingTransformer owner, IDataView source, int column, DataViewType type) : IDataView
    {
        private readonly DataViewSchema _schema = MappedDataView.OutputSchema(source.Schema,
            [new ColumnBinding(owner.ColumnName, type, [column], _ => Array.Empty<Image?>())]);

        public DataViewSchema Schema => _schema;

        public long? GetRowCount() => source.GetRowCount();

        public IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
            CancellationToken cancellationToken = default)
        {
            int pass = Interlocked.Increment(ref owner._passes);
            var binding = new ColumnBinding(owner.ColumnName, type, [column], batch =>
            {
                var random = new Random(Seeds.Combine(owner.Seed, pass, batch.RowOffset));
                return Map(batch, column, image => ImageAugmenter.Apply(image, owner.Options, random));
            });
            return new MappedDataView(source, [binding]).GetBatches(columnsNeeded, batchSize, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = Options;
        context.Config["column"] = ColumnName;
        context.Config["seed"] = Seed;
        context.Config["cropWidth"] = o.CropWidth;
        context.Config["cropHeight"] = o.CropHeight;
        context.WriteArray<double>("numbers", [o.CropScale.Min, o.CropScale.Max, o.CropRatio.Min, o.CropRatio.Max, o.HorizontalFlipProbability,
            o.MaxRotationDegrees, o.Brightness, o.Contrast, o.RotationFill.R, o.RotationFill.G, o.RotationFill.B]);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ImageAugmentingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var n = context.ReadArray<double>("numbers", 11);
        var options = new AugmentationOptions
        {
            CropWidth = context.Get<int>("cropWidth"), CropHeight = context.Get<int>("cropHeight"),
            CropScale = (n[0], n[1]), CropRatio = (n[2], n[3]), HorizontalFlipProbability = n[4], MaxRotationDegrees = n[5],
            Brightness = n[6], Contrast = n[7], RotationFill = new Rgb24((byte)n[8], (byte)n[9], (byte)n[10]),
        };
        return new ImageAugmentingTransformer(context.Get<string>("column"), options, context.Get<int>("seed"));
    }
}
