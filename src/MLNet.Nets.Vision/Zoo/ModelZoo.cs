using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>
/// The model zoo: builds the reference architectures from our layers with torchvision's module names (Keras's for
/// MobileNet V1), so a published state dict loads by name with
/// <see cref="Weights.PretrainedWeights.LoadInto(Model, bool, Func{string, string?}?)"/>.
/// </summary>
/// <example>
/// <code>
/// var model = ModelZoo.Create(Architecture.MobileNetV2);                 // [N, 3, 224, 224] → [N, 1000] logits
/// PretrainedWeights.FromFile("mobilenet_v2-b0353104.pth").LoadInto(model);
/// var features = ModelZoo.CreateFeatureExtractor(Architecture.MobileNetV2); // → [N, 1280] pooled embedding
/// PretrainedWeights.FromFile("mobilenet_v2-b0353104.pth").LoadInto(features, strict: false);
/// </code>
/// </example>
public static class ModelZoo
{
    private static readonly ArchitectureInfo[] Entries =
    [
        new(Architecture.LeNet5, "lenet5", "LeNet-5 (ReLU, max pooling) for 1×28×28 digits",
            ZooPreprocessing.For(NormalizationStyle.ZeroToOne, 1, 28, 28), 61_706),
        new(Architecture.MobileNetV1, "mobilenet_v1", "MobileNet V1, Keras layout, width multiplier α 0.25–1.0",
            ZooPreprocessing.For(NormalizationStyle.KerasMinusOneToOne, 3, 224, 256), 4_231_976),
        new(Architecture.MobileNetV2, "mobilenet_v2", "MobileNet V2 (torchvision), width multiplier",
            ZooPreprocessing.For(NormalizationStyle.TorchvisionMeanStd, 3, 224, 256), 3_504_872),
        new(Architecture.MobileNetV3Small, "mobilenet_v3_small", "MobileNet V3 Small (torchvision)",
            ZooPreprocessing.For(NormalizationStyle.TorchvisionMeanStd, 3, 224, 256), 2_542_856),
        new(Architecture.MobileNetV3Large, "mobilenet_v3_large", "MobileNet V3 Large (torchvision)",
            ZooPreprocessing.For(NormalizationStyle.TorchvisionMeanStd, 3, 224, 256), 5_483_032),
        new(Architecture.InceptionV3, "inception_v3", "Inception V3 (torchvision), 299×299, optional auxiliary head",
            ZooPreprocessing.For(NormalizationStyle.TorchvisionMeanStd, 3, 299, 342), 23_834_568),
        new(Architecture.ResNet18, "resnet18", "ResNet-18 (torchvision)",
            ZooPreprocessing.For(NormalizationStyle.TorchvisionMeanStd, 3, 224, 256), 11_689_512),
        new(Architecture.ResNet50, "resnet50", "ResNet-50 (torchvision, v1.5)",
            ZooPreprocessing.For(NormalizationStyle.TorchvisionMeanStd, 3, 224, 256), 25_557_032),
        new(Architecture.SmallVgg, "small_vgg", "Small VGG-style net (3 stages of 2 conv+BN+ReLU) for 3×32×32 images",
            ZooPreprocessing.For(NormalizationStyle.ZeroToOne, 3, 32, 32), 577_480),
    ];

    /// <summary>Every architecture with its name, default preprocessing and reference parameter count.</summary>
    public static IReadOnlyList<ArchitectureInfo> List() => Entries;

    /// <summary>The entry of one architecture.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined architecture.</exception>
    public static ArchitectureInfo Info(Architecture architecture) =>
        Array.Find(Entries, e => e.Architecture == architecture)
        ?? throw new ArgumentOutOfRangeException(nameof(architecture), $"Unknown architecture {architecture}.");

    /// <summary>The command-line name of an architecture, e.g. <c>mobilenet_v3_large</c>.</summary>
    public static string NameOf(Architecture architecture) => Info(architecture).Name;

    /// <summary>The architecture named <paramref name="name"/> (<c>mobilenet_v2</c>, … or the enum name, any case).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the valid names.</exception>
    public static Architecture Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var e in Entries)
        {
            if (string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Architecture.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return e.Architecture;
            }
        }
        throw new ArgumentException($"Unknown architecture '{name}'; known: {string.Join(", ", Entries.Select(e => e.Name))}.", nameof(name));
    }

    /// <summary>The preprocessing of <paramref name="architecture"/> with the input size and channels of
    /// <paramref name="options"/> applied.</summary>
    public static ZooPreprocessing GetPreprocessing(Architecture architecture, ZooOptions? options = null)
    {
        var p = Info(architecture).Preprocessing;
        if (options is null) return p;
        int size = options.InputSize ?? p.Height;
        int channels = options.InputChannels ?? p.Channels;
        if (size == p.Height && channels == p.Channels) return p;
        var style = p.Style == NormalizationStyle.TorchvisionMeanStd && channels != 3 ? NormalizationStyle.ZeroToOne : p.Style;
        int resize = (int)Math.Round(size * (double)p.ResizeSize / p.Height);
        return ZooPreprocessing.For(style, channels, size, resize);
    }

    /// <summary>
    /// The smallest input height and width <see cref="Create"/> accepts for <paramref name="architecture"/>: LeNet-5 12,
    /// small VGG 8, Inception V3 75, the others 32 (five stride-2 stages).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined architecture.</exception>
    public static int MinimumInputSize(Architecture architecture) => Info(architecture).Architecture switch
    {
        Architecture.LeNet5 => 12,
        Architecture.SmallVgg => 8,
        Architecture.InceptionV3 => 75,
        _ => 32,
    };

    /// <summary>
    /// Builds a network with random initial weights (seeded by <see cref="ZooOptions.Seed"/>). Input [N, C, H, W] as
    /// given by <see cref="GetPreprocessing"/>; output [N, <paramref name="numClasses"/>] logits (no softmax), or the
    /// pooled embedding when <see cref="ZooOptions.IncludeTop"/> is false. Inception V3 with
    /// <see cref="ZooOptions.AuxLogits"/> has a second output, the auxiliary logits.
    /// </summary>
    /// <param name="architecture">Which network.</param>
    /// <param name="numClasses">Classifier outputs; default 1000 (ImageNet).</param>
    /// <param name="options">Width multiplier, input size, dropout, head; null uses the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">numClasses is not positive or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The input size is too small for the architecture.</exception>
    public static Model Create(Architecture architecture, int numClasses = 1000, ZooOptions? options = null)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), $"numClasses must be positive but is {numClasses}.");
        var o = options ?? new ZooOptions();
        if (!(o.WidthMultiplier > 0) || double.IsInfinity(o.WidthMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The width multiplier must be positive but is {o.WidthMultiplier}.");
        }
        if (o.DropoutRate is { } d && !(d >= 0f && d < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The dropout rate must be in [0, 1) but is {d}.");
        }
        var p = Info(architecture).Preprocessing;
        int size = o.InputSize ?? p.Height;
        int channels = o.InputChannels ?? p.Channels;
        if (size < 1 || channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Input size and channels must be positive but are {size} and {channels}.");
        }
        int minimum = MinimumInputSize(architecture);
        if (size < minimum)
        {
            throw new ArgumentException($"{NameOf(architecture)} needs an input of at least {minimum}×{minimum} pixels but was asked for {size}×{size}.", nameof(options));
        }
        return architecture switch
        {
            Architecture.LeNet5 => LeNet5Builder.Build(numClasses, o, channels, size),
            Architecture.MobileNetV1 => MobileNetV1Builder.Build(numClasses, o, channels, size),
            Architecture.MobileNetV2 => MobileNetV2Builder.Build(numClasses, o, channels, size),
            Architecture.MobileNetV3Small => MobileNetV3Builder.Build(false, numClasses, o, channels, size),
            Architecture.MobileNetV3Large => MobileNetV3Builder.Build(true, numClasses, o, channels, size),
            Architecture.InceptionV3 => InceptionV3Builder.Build(numClasses, o, channels, size),
            Architecture.ResNet18 => ResNetBuilder.Build(false, numClasses, o, channels, size),
            Architecture.ResNet50 => ResNetBuilder.Build(true, numClasses, o, channels, size),
            Architecture.SmallVgg => SmallVggBuilder.Build(numClasses, o, channels, size),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), $"Unknown architecture {architecture}."),
        };
    }

    /// <summary>
    /// The network without its classifier head: output [N, F] is the globally pooled embedding (mobilenet_v2 1280,
    /// mobilenet_v3_large 960, mobilenet_v3_small 576, inception_v3 2048, resnet18 512, resnet50 2048, mobilenet_v1
    /// 1024·α, lenet5 84, small_vgg 128). Load full-model weights into it with <c>strict: false</c>; the head's tensors
    /// are then reported as unexpected and skipped.
    /// </summary>
    /// <param name="architecture">Which network.</param>
    /// <param name="options">As for <see cref="Create"/>; <see cref="ZooOptions.IncludeTop"/> is overridden to false.</param>
    public static Model CreateFeatureExtractor(Architecture architecture, ZooOptions? options = null)
    {
        var o = options ?? new ZooOptions();
        var copy = new ZooOptions
        {
            WidthMultiplier = o.WidthMultiplier, InputSize = o.InputSize, InputChannels = o.InputChannels,
            DropoutRate = o.DropoutRate, AuxLogits = false, IncludeTop = false, Seed = o.Seed,
        };
        return Create(architecture, 1, copy);
    }
}
