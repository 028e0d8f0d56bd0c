namespace MLNet.Nets.Vision.Zoo;

/// <summary>
/// The input a zoo network expects: NCHW float tensors of <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/>,
/// with pixels p in [0, 1] mapped to (p − Mean[c]) / Std[c].
/// </summary>
/// <param name="Channels">Input channels (3 for RGB, 1 for grey).</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Width">Input width in pixels.</param>
/// <param name="ResizeSize">The shorter side images are resized to before the centre crop (torchvision: 256 for a
/// 224 crop, 342 for Inception's 299).</param>
/// <param name="Style">Which convention <see cref="Mean"/> and <see cref="Std"/> come from.</param>
/// <param name="Mean">Per-channel mean on the [0, 1] pixel scale.</param>
/// <param name="Std">Per-channel standard deviation on the [0, 1] pixel scale.</param>
public sealed record ZooPreprocessing(int Channels, int Height, int Width, int ResizeSize, NormalizationStyle Style,
    IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>The normalization for <paramref name="style"/> with <paramref name="channels"/> channels.</summary>
    /// <param name="style">The convention.</param>
    /// <param name="channels">Number of channels; ImageNet statistics need 3.</param>
    /// <param name="size">Crop height and width.</param>
    /// <param name="resize">Resize size of the shorter side before cropping.</param>
    /// <exception cref="ArgumentException">ImageNet mean/std asked for a channel count other than 3.</exception>
    public static ZooPreprocessing For(NormalizationStyle style, int channels, int size, int resize)
    {
        switch (style)
        {
            case NormalizationStyle.TorchvisionMeanStd:
                if (channels != 3) throw new ArgumentException($"torchvision's ImageNet mean/std need 3 channels but the model has {channels}.", nameof(channels));
                return new(channels, size, size, resize, style, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
            case NormalizationStyle.KerasMinusOneToOne:
                return new(channels, size, size, resize, style, Enumerable.Repeat(0.5f, channels).ToArray(), Enumerable.Repeat(0.5f, channels).ToArray());
            case NormalizationStyle.ZeroToOne:
                return new(channels, size, size, resize, style, Enumerable.Repeat(0f, channels).ToArray(), Enumerable.Repeat(1f, channels).ToArray());
            default:
                throw new ArgumentOutOfRangeException(nameof(style), $"Unknown normalization style {style}.");
        }
    }
}
