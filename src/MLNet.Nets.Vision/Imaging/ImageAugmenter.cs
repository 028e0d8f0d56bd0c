namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Applies seeded random augmentations (<see cref="AugmentationOptions"/>) for training. The same seed and the same
/// sequence of calls give the same images. An instance is not thread-safe; for parallel loading use
/// <see cref="Apply(Image, AugmentationOptions, Random)"/> with one <see cref="Random"/> per sample (e.g. seeded from
/// the epoch and sample index).
/// </summary>
public sealed class ImageAugmenter
{
    private readonly AugmentationOptions _options;
    private readonly Random _random;

    /// <summary>Creates an augmenter.</summary>
    /// <param name="options">What to apply.</param>
    /// <param name="seed">Seed of the random source.</param>
    public ImageAugmenter(AugmentationOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _random = new Random(seed);
    }

    /// <summary>Returns an augmented copy of <paramref name="image"/>, drawing from this instance's random source.</summary>
    public Image Apply(Image image) => Apply(image, _options, _random);

    /// <summary>Returns an augmented copy of <paramref name="image"/> drawing from <paramref name="random"/>.</summary>
    /// <param name="image">The source image (unchanged).</param>
    /// <param name="options">What to apply.</param>
    /// <param name="random">The random source; each step draws from it only when enabled.</param>
    public static Image Apply(Image image, AugmentationOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Validate(options);
        var result = image;
        if (options.CropWidth > 0)
        {
            var (x, y, w, h) = SampleCrop(image.Width, image.Height, options.CropScale, options.CropRatio, random);
            result = ImageResizer.ResizeRegion(result, x, y, w, h, options.CropWidth, options.CropHeight);
        }
        if (options.HorizontalFlipProbability > 0 && random.NextDouble() < options.HorizontalFlipProbability)
        {
            result = ImageTransforms.FlipHorizontal(result);
        }
        if (options.MaxRotationDegrees > 0)
        {
            double angle = (random.NextDouble() * 2 - 1) * options.MaxRotationDegrees;
            result = ImageTransforms.Rotate(result, angle, options.RotationFill);
        }
        if (options.Brightness > 0)
        {
            result = ImageTransforms.AdjustBrightness(result, Uniform(random, Math.Max(0, 1 - options.Brightness), 1 + options.Brightness));
        }
        if (options.Contrast > 0)
        {
            result = ImageTransforms.AdjustContrast(result, Uniform(random, Math.Max(0, 1 - options.Contrast), 1 + options.Contrast));
        }
        return ReferenceEquals(result, image) ? image.Clone() : result;
    }

    /// <summary>
    /// torchvision's <c>RandomResizedCrop.get_params</c>: up to 10 tries of a random area fraction and log-uniform aspect
    /// ratio; if none fits, the centre crop with the ratio clamped to the allowed range.
    /// </summary>
    internal static (int X, int Y, int Width, int Height) SampleCrop(int width, int height, (double Min, double Max) scale, (double Min, double Max) ratio, Random random)
    {
        double area = (double)width * height;
        double logMin = Math.Log(ratio.Min), logMax = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * Uniform(random, scale.Min, scale.Max);
            double aspect = Math.Exp(Uniform(random, logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(target * aspect));
            int h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height)
            {
                return (random.Next(width - w + 1), random.Next(height - h + 1), w, h);
            }
        }
        double inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < ratio.Min) { cw = width; ch = (int)Math.Round(cw / ratio.Min); }
        else if (inRatio > ratio.Max) { ch = height; cw = (int)Math.Round(ch * ratio.Max); }
        else { cw = width; ch = height; }
        cw = Math.Clamp(cw, 1, width);
        ch = Math.Clamp(ch, 1, height);
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    private static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();

    private static void Validate(AugmentationOptions o)
    {
        if ((o.CropWidth > 0) != (o.CropHeight > 0) || o.CropWidth < 0 || o.CropHeight < 0)
        {
            throw new ArgumentException($"CropWidth ({o.CropWidth}) and CropHeight ({o.CropHeight}) must both be positive or both 0.");
        }
        if (!(o.CropScale.Min > 0 && o.CropScale.Min <= o.CropScale.Max && o.CropScale.Max <= 1))
        {
            throw new ArgumentException($"CropScale ({o.CropScale.Min}, {o.CropScale.Max}) must satisfy 0 < min ≤ max ≤ 1.");
        }
        if (!(o.CropRatio.Min > 0 && o.CropRatio.Min <= o.CropRatio.Max))
        {
            throw new ArgumentException($"CropRatio ({o.CropRatio.Min}, {o.CropRatio.Max}) must satisfy 0 < min ≤ max.");
        }
        if (o.HorizontalFlipProbability is < 0 or > 1) throw new ArgumentException($"HorizontalFlipProbability {o.HorizontalFlipProbability} must be in [0, 1].");
        if (o.MaxRotationDegrees < 0 || o.Brightness < 0 || o.Contrast < 0) throw new ArgumentException("MaxRotationDegrees, Brightness and Contrast must be ≥ 0.");
    }
}
