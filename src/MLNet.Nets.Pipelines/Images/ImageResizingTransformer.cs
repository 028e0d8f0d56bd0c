using MLNet.Nets.Data;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Images;

/// <summary>
/// Resizes an image column to a fixed size (bilinear or box filtering, exactly as PIL; stretch, crop-to-aspect or
/// pad-to-aspect). Missing images stay missing.
/// </summary>
[TransformerLoader("ResizeImages")]
public sealed class ImageResizingTransformer : RowToRowTransformer
{
    /// <summary>A transformer resizing <paramref name="inputColumnName"/> into <paramref name="outputColumnName"/>.</summary>
    public ImageResizingTransformer(string outputColumnName, int imageWidth, int imageHeight, string inputColumnName,
        ResizeMode mode = ResizeMode.Fill, ResizeFilter filter = ResizeFilter.Bilinear)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Width = imageWidth;
        Height = imageHeight;
        Mode = mode;
        Filter = filter;
    }

    /// <summary>The image column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The image column read.</summary>
    public string InputColumnName { get; }
    /// <summary>Target width.</summary>
    public int Width { get; }
    /// <summary>Target height.</summary>
    public int Height { get; }
    /// <summary>Aspect-ratio handling.</summary>
    public ResizeMode Mode { get; }
    /// <summary>Resampling filter.</summary>
    public ResizeFilter Filter { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "image");
        if (column.Type is not ImageDataViewType) throw new ArgumentException($"The column '{InputColumnName}' must hold images but holds {column.Type}; add LoadImages first.");
        return [new ColumnBinding(OutputColumnName, new ImageDataViewType(Height, Width), [column.Index], batch =>
        {
            var source = (Image?[])batch.GetArray(column.Index);
            var result = new Image?[source.Length];
            ParallelRows.For(source.Length, i =>
            {
                if (source[i] is { } image) result[i] = ImageResizer.Resize(image, Width, Height, Filter, Mode);
            });
            return result;
        })];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        context.Config["width"] = Width;
        context.Config["height"] = Height;
        context.Config["mode"] = Mode.ToString();
        context.Config["filter"] = Filter.ToString();
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ImageResizingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ImageResizingTransformer(context.Get<string>("output"), context.Get<int>("width"), context.Get<int>("height"), context.Get<string>("input"),
            Enum.Parse<ResizeMode>(context.Get<string>("mode")), Enum.Parse<ResizeFilter>(context.Get<string>("filter")));
    }
}
