using MLNet.Nets.Data;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Images;

/// <summary>
/// Decodes image files named by a text column into an image column (JPEG through libjpeg-turbo with EXIF orientation,
/// PNG, BMP, PPM/PGM, GIF), the rows of a batch in parallel. A file that cannot be decoded stops the read with an error
/// naming it — or, with <see cref="SkipBadImages"/>, gives a missing (null) image, is counted in
/// <see cref="SkippedImageCount"/>, and is skipped by the trainers.
/// </summary>
[TransformerLoader("LoadImages")]
public sealed class ImageLoadingTransformer : RowToRowTransformer
{
    private long _skipped;

    /// <summary>A transformer decoding <paramref name="inputColumnName"/> (paths) into <paramref name="outputColumnName"/>.</summary>
    public ImageLoadingTransformer(string outputColumnName, string? imageFolder, string inputColumnName, bool skipBadImages = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        ImageFolder = imageFolder;
        SkipBadImages = skipBadImages;
    }

    /// <summary>The image column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The path column read.</summary>
    public string InputColumnName { get; }

    /// <summary>Folder that relative paths are resolved against; null for the current folder.</summary>
    public string? ImageFolder { get; }

    /// <summary>Give a missing image for undecodable files instead of failing.</summary>
    public bool SkipBadImages { get; }

    /// <summary>How many files failed to decode and were skipped so far.</summary>
    public long SkippedImageCount => Interlocked.Read(ref _skipped);

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "image path");
        if (column.Type is not TextDataViewType) throw new ArgumentException($"The image path column '{InputColumnName}' must hold text but holds {column.Type}.");
        return [new ColumnBinding(OutputColumnName, ImageDataViewType.Any, [column.Index], batch => Decode(batch.GetValues<string>(column.Index)))];
    }

    private Image?[] Decode(string[] paths)
    {
        var images = new Image?[paths.Length];
        ParallelRows.For(paths.Length, i =>
        {
            string path = ImageFolder is null ? paths[i] : Path.Combine(ImageFolder, paths[i]);
            if (ImageDecoder.TryDecode(path, out var image, out var error))
            {
                images[i] = image;
                return;
            }
            if (!SkipBadImages) throw new InvalidDataException(error.Message, error);
            Interlocked.Increment(ref _skipped);
        });
        return images;
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        context.Config["folder"] = ImageFolder;
        context.Config["skipBadImages"] = SkipBadImages;
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ImageLoadingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ImageLoadingTransformer(context.Get<string>("output"), context.GetOrDefault<string?>("folder", null), context.Get<string>("input"),
            context.GetOrDefault("skipBadImages", false));
    }
}
