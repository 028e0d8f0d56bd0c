namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Training-time augmentation settings for <see cref="ImageAugmenter"/>. Every augmentation is off by default; the
/// steps run in a fixed order: random resized crop, horizontal flip, rotation, brightness, contrast.
/// </summary>
public sealed class AugmentationOptions
{
    /// <summary>
    /// Output width of torchvision's <c>RandomResizedCrop</c>; 0 (the default) disables the crop. When set,
    /// <see cref="CropHeight"/> must be set too.
    /// </summary>
    public int CropWidth { get; init; }

    /// <summary>Output height of the random resized crop; 0 (the default) disables it.</summary>
    public int CropHeight { get; init; }

    /// <summary>Range of the crop's area as a fraction of the image area; default (0.08, 1.0) as torchvision.</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.08, 1.0);

    /// <summary>Range of the crop's aspect ratio (width / height), sampled log-uniformly; default (3/4, 4/3) as torchvision.</summary>
    public (double Min, double Max) CropRatio { get; init; } = (3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Probability of a horizontal flip, 0–1; default 0 (never).</summary>
    public double HorizontalFlipProbability { get; init; }

    /// <summary>Rotation angle drawn uniformly from [−max, max] degrees; default 0 (no rotation).</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>Colour for areas a rotation uncovers; default black.</summary>
    public Rgb24 RotationFill { get; init; } = Rgb24.Black;

    /// <summary>Brightness jitter b: factor uniform in [max(0, 1 − b), 1 + b] (torchvision <c>ColorJitter(brightness=b)</c>); default 0 (off).</summary>
    public double Brightness { get; init; }

    /// <summary>Contrast jitter c: factor uniform in [max(0, 1 − c), 1 + c]; default 0 (off).</summary>
    public double Contrast { get; init; }
}
