namespace MLNet.Nets.Vision.Zoo;

/// <summary>Options for <see cref="ModelZoo.Create"/>; every property has the architecture's reference default.</summary>
public sealed class ZooOptions
{
    /// <summary>Width multiplier α scaling the channel counts (MobileNet V1, V2 and V3; ignored by the others). Default
    /// 1.0. MobileNet V1's published values are 0.25, 0.5, 0.75 and 1.0.</summary>
    public double WidthMultiplier { get; set; } = 1.0;

    /// <summary>Input height and width in pixels; null uses the architecture's default (224, Inception V3 299, LeNet-5 28,
    /// small VGG 32). MobileNet V1's resolution multiplier ρ corresponds to 224·ρ (128, 160, 192, 224). Convolutional
    /// models with global pooling accept other sizes at run time as well; this sets the model's declared input.</summary>
    public int? InputSize { get; set; }

    /// <summary>Input channels; null uses the default (3, LeNet-5 1).</summary>
    public int? InputChannels { get; set; }

    /// <summary>Dropout rate before the last classifier layer; null uses the reference value (MobileNet V2/V3 0.2,
    /// Inception V3 0.5, MobileNet V1 0.001, small VGG 0.5; ResNet and LeNet-5 have none).</summary>
    public float? DropoutRate { get; set; }

    /// <summary>Inception V3 only: adds the auxiliary classifier (<c>AuxLogits.*</c>) as a second model output fed by
    /// <c>Mixed_6e</c>. Default false, as torchvision's <c>aux_logits</c> is for training only.</summary>
    public bool AuxLogits { get; set; }

    /// <summary>True (default) keeps the classifier head; false ends the model at the pooled embedding [N, features]
    /// (the feature extractor for transfer learning; see <see cref="ModelZoo.CreateFeatureExtractor"/>).</summary>
    public bool IncludeTop { get; set; } = true;

    /// <summary>Seed of the random initial weights; default 0.</summary>
    public int Seed { get; set; }
}
