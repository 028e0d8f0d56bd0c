using MLNet.Nets.Data;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Images;

/// <summary>
/// Turns a fixed-size image column into a Single vector column of pixel values — planar [C, H, W] (the network layout)
/// or interleaved [H, W, C], channels in RGB/BGR order (or one gray channel), each value (pixel · scale + offset − mean) / std.
/// A missing image gives NaN values (trainers skip such rows).
/// </summary>
[TransformerLoader("ExtractPixels")]
public sealed class PixelExtractingTransformer : RowToRowTransformer
{
    /// <summary>A transformer extracting <paramref name="inputColumnName"/> into <paramref name="outputColumnName"/>.</summary>
    /// <param name="outputColumnName">The vector column written.</param>
    /// <param name="inputColumnName">The image column read (fixed size: after ResizeImages).</param>
    /// <param name="options">Layout, channel order, scale/offset and per-channel mean/std; default planar RGB, values 0…255.</param>
    /// <param name="grayscale">Extract one gray channel instead of RGB.</param>
    public PixelExtractingTransformer(string outputColumnName, string inputColumnName, PixelExtractionOptions? options = null, bool grayscale = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options ?? new PixelExtractionOptions();
        Grayscale = grayscale;
        int channels = grayscale ? 1 : Options.KeepAlpha ? 4 : 3;
        if (Options.Mean is { } mean && mean.Length != channels) throw new ArgumentException($"Mean has {mean.Length} values for {channels} channels.");
        if (Options.Std is { } std && std.Length != channels) throw new ArgumentException($"Std has {std.Length} values for {channels} channels.");
        Channels = channels;
    }

    /// <summary>The vector column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The image column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The extraction options.</summary>
    public PixelExtractionOptions Options { get; }
    /// <summary>Whether one gray channel is extracted.</summary>
    public bool Grayscale { get; }
    /// <summary>Channels per pixel in the output.</summary>
    public int Channels { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "image");
        if (column.Type is not ImageDataViewType { Height: > 0 } imageType)
        {
            throw new ArgumentException($"The column '{InputColumnName}' must hold images of a fixed size but holds {column.Type}; add ResizeImages first.");
        }
        int h = imageType.Height, w = imageType.Width, c = Channels;
        int[] dims = Options.Layout == PixelLayout.Planar ? [c, h, w] : [h, w, c];
        int size = c * h * w;
        return [new ColumnBinding(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, dims), [column.Index], batch =>
        {
            var images = (Image?[])batch.GetArray(column.Index);
            var values = new float[images.Length * size];
            ParallelRows.For(images.Length, i =>
            {
                var target = values.AsSpan(i * size, size);
                if (images[i] is not { } image)
                {
                    target.Fill(float.NaN);
                    return;
                }
                if (image.Width != w || image.Height != h)
                {
                    throw new InvalidDataException($"Row {batch.RowOffset + i}: the image is {image.Width}×{image.Height} but '{InputColumnName}' declares {w}×{h}.");
                }
                var mode = Grayscale ? ColorMode.Gray : Options.KeepAlpha ? ColorMode.Rgba : ColorMode.Rgb;
                PixelExtractor.Extract(image.Mode == mode ? image : image.ConvertTo(mode), target, Options);
            });
            return values;
        })];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        context.Config["grayscale"] = Grayscale;
        context.Config["layout"] = Options.Layout.ToString();
        context.Config["order"] = Options.Order.ToString();
        context.Config["scale"] = Options.Scale;
        context.Config["offset"] = Options.Offset;
        context.Config["keepAlpha"] = Options.KeepAlpha;
        if (Options.Mean is { } mean) context.WriteArray<float>("mean", mean);
        if (Options.Std is { } std) context.WriteArray<float>("std", std);
        context.Config["hasMean"] = Options.Mean is not null;
        context.Config["hasStd"] = Options.Std is not null;
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static PixelExtractingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new PixelExtractionOptions
        {
            Layout = Enum.Parse<PixelLayout>(context.Get<string>("layout")),
            Order = Enum.Parse<ChannelOrder>(context.Get<string>("order")),
            Scale = context.Get<float>("scale"),
            Offset = context.Get<float>("offset"),
            KeepAlpha = context.Get<bool>("keepAlpha"),
            Mean = context.Get<bool>("hasMean") ? context.ReadArray<float>("mean") : null,
            Std = context.Get<bool>("hasStd") ? context.ReadArray<float>("std") : null,
        };
        return new PixelExtractingTransformer(context.Get<string>("output"), context.Get<string>("input"), options, context.Get<bool>("grayscale"));
    }
}
