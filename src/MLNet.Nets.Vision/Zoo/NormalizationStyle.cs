namespace MLNet.Nets.Vision.Zoo;

/// <summary>How pixel values are normalized before they enter a zoo network.</summary>
public enum NormalizationStyle
{
    /// <summary>Pixels scaled to [0, 1], then (x − mean)/std per channel with ImageNet's mean (0.485, 0.456, 0.406) and
    /// std (0.229, 0.224, 0.225) — torchvision's weights.</summary>
    TorchvisionMeanStd,
    /// <summary>Pixels scaled to [−1, 1] (x/127.5 − 1; mean 0.5, std 0.5 on [0, 1]) — Keras MobileNet and Inception weights.</summary>
    KerasMinusOneToOne,
    /// <summary>Pixels scaled to [0, 1] with no further normalization (LeNet-5, small VGG trained from scratch).</summary>
    ZeroToOne,
}
