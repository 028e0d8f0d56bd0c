using MLNet.Nets.Catalogs;
using MLNet.Nets.Images;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets;

/// <summary>The image transforms on <c>nets.Transforms</c>: LoadImages, ResizeImages, ExtractPixels (ML.NET's names).</summary>
public static class ImageTransformsCatalogExtensions
{
    /// <summary>Decodes the files named in <paramref name="inputColumnName"/> into the image column <paramref name="outputColumnName"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to write.</param>
    /// <param name="imageFolder">Folder of relative paths; null for paths as they are.</param>
    /// <param name="inputColumnName">The path column; default "ImagePath".</param>
    /// <param name="skipBadImages">Give missing images for undecodable files (counted, skipped by trainers) instead of failing. Default false.</param>
    public static TrivialEstimator<ImageLoadingTransformer> LoadImages(this TransformsCatalog catalog, string outputColumnName = "Image",
        string? imageFolder = null, string inputColumnName = "ImagePath", bool skipBadImages = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ImageLoadingTransformer(outputColumnName, imageFolder, inputColumnName, skipBadImages));
    }

    /// <summary>Resizes images to <paramref name="imageWidth"/>×<paramref name="imageHeight"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to write.</param>
    /// <param name="imageWidth">Width in pixels.</param>
    /// <param name="imageHeight">Height in pixels.</param>
    /// <param name="inputColumnName">The image column to read; default the output column.</param>
    /// <param name="resizing">Stretch (default), crop to the aspect ratio, or pad to it.</param>
    /// <param name="filter">Bilinear (default, antialiased when shrinking) or box (area) filtering.</param>
    public static TrivialEstimator<ImageResizingTransformer> ResizeImages(this TransformsCatalog catalog, string outputColumnName, int imageWidth, int imageHeight,
        string? inputColumnName = null, ResizeMode resizing = ResizeMode.Fill, ResizeFilter filter = ResizeFilter.Bilinear)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ImageResizingTransformer(outputColumnName, imageWidth, imageHeight, inputColumnName ?? outputColumnName, resizing, filter));
    }

    /// <summary>Extracts pixel values of a fixed-size image column into a Single vector column.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The vector column to write.</param>
    /// <param name="inputColumnName">The image column to read; default the output column.</param>
    /// <param name="options">Layout, channel order, scale/offset, mean/std; default planar RGB 0…255.</param>
    /// <param name="grayscale">One gray channel instead of RGB. Default false.</param>
    public static TrivialEstimator<PixelExtractingTransformer> ExtractPixels(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        PixelExtractionOptions? options = null, bool grayscale = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new PixelExtractingTransformer(outputColumnName, inputColumnName ?? outputColumnName, options, grayscale));
    }

    /// <summary>
    /// Training-only augmentation of an image column (random resized crop to CropWidth×CropHeight, flips, rotation,
    /// brightness/contrast), seeded; at inference images pass through (centre-cropped to the crop size when one is given).
    /// </summary>
    public static TrivialEstimator<ImageAugmentingTransformer> AugmentImages(this TransformsCatalog catalog, string columnName, AugmentationOptions options, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ImageAugmentingTransformer(columnName, options, seed ?? catalog.Context.NextSeed()));
    }

    /// <summary>
    /// The pretrained <paramref name="architecture"/> without its head as a transform: <paramref name="inputColumnName"/>
    /// (image paths, images, or prepared pixels) → an embedding vector in <paramref name="outputColumnName"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights do not cover the feature extractor (the message names a missing tensor).</exception>
    public static TrivialEstimator<ImageFeaturizingTransformer> FeaturizeImage(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        Architecture architecture, PretrainedWeights weights, ZooOptions? options = null, bool skipBadImages = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(weights);
        var zoo = options ?? new ZooOptions();
        var extractor = ModelZoo.CreateFeatureExtractor(architecture, zoo);
        var loaded = weights.LoadInto(extractor, strict: false);
        if (loaded.Missing.Count > 0 || loaded.Loaded.Count == 0)
        {
            throw new InvalidDataException($"Weights file {weights.Path} does not cover {ModelZoo.NameOf(architecture)}'s feature extractor ({loaded}).");
        }
        return new(new ImageFeaturizingTransformer(outputColumnName, inputColumnName, new NetworkInput(NetworkInput.For(architecture, zoo)), extractor, skipBadImages));
    }
}
