using System.Globalization;
using MLNet.Nets.Callbacks;
using MLNet.Nets.Trainers;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.AutoML;

/// <summary>One configuration of <see cref="ImageSearchSpace"/>.</summary>
/// <param name="Architecture">The zoo network.</param>
/// <param name="WidthMultiplier">Its width multiplier α (1 for networks without one).</param>
/// <param name="Resolution">Input height and width in pixels.</param>
/// <param name="FineTune">What is trained; <see cref="FineTune.Full"/> without <paramref name="Weights"/> is from scratch.</param>
/// <param name="Weights">The pretrained weights, or null.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="Epochs">Most passes (early stopping on the validation loss may end sooner).</param>
/// <param name="Augment">Whether training images are augmented.</param>
internal sealed record ImageTrialConfiguration(Architecture Architecture, double WidthMultiplier, int Resolution, FineTune FineTune,
    PretrainedWeights? Weights, float LearningRate, int BatchSize, int Epochs, bool Augment);

/// <summary>
/// The search space of image classifiers, as a point of [0, 1]^8: architecture (among those allowed, ordered from the
/// cheapest: LeNet-5, MobileNet V1, V3 Small, V2, V3 Large, small VGG, ResNet-18, ResNet-50, Inception V3), width
/// multiplier (MobileNet V1 0.25–1, V2 0.35–1; the weights' own with weights), input resolution (LeNet-5 28–32, small
/// VGG 32–64, MobileNets and ResNets 32–224, Inception V3 96–299; never below the zoo's minimum), fine-tune mode (head
/// only, last 1 or 3 blocks, or all — only for an architecture with weights; without, the network trains from scratch),
/// learning rate (log scale: head 1e-3–1e-1, fine-tuning 1e-5–1e-3, from scratch 1e-4–1e-2), batch size (16–128),
/// epochs (2–50, log; early stopping on the validation loss with patience 3 is always on) and augmentation (random
/// resized crop, flip, ±10° rotation, brightness and contrast; only where the trainer can apply it: decoded images,
/// not head-only and not prepared pixels).
/// </summary>
internal sealed class ImageSearchSpace
{
    public const int Dimensions = 8;

    /// <summary>The architectures searched when none are given.</summary>
    public static IReadOnlyList<Architecture> DefaultArchitectures { get; } =
        [Architecture.LeNet5, Architecture.MobileNetV1, Architecture.MobileNetV3Small, Architecture.MobileNetV2, Architecture.MobileNetV3Large, Architecture.SmallVgg];

    private static readonly Architecture[] CostOrder =
    [
        Architecture.LeNet5, Architecture.MobileNetV1, Architecture.MobileNetV3Small, Architecture.MobileNetV2, Architecture.MobileNetV3Large,
        Architecture.SmallVgg, Architecture.ResNet18, Architecture.ResNet50, Architecture.InceptionV3,
    ];

    private static readonly int[] Sizes = [28, 32, 48, 64, 96, 128, 160, 192, 224, 299];
    private static readonly FineTune[] Modes = [FineTune.HeadOnly, FineTune.LastBlocks(1), FineTune.LastBlocks(3), FineTune.Full];
    private static readonly int[] Batches = [16, 32, 64, 128];

    /// <summary>
    /// The cheapest sensible start: the first (cheapest) allowed architecture at its smallest width and resolution, head
    /// only when it has weights, learning rate at 65 % of its range (2e-3 from scratch, 2e-2 for a head), batch 32,
    /// 5 epochs, no augmentation.
    /// </summary>
    public static double[] CheapStart => [0, 0, 0, 0, 0.65, 0.3, 0.3, 0];

    /// <summary>
    /// A relative cost estimate (log scale) of a trial at <paramref name="x"/>: architecture (cheapest first), width,
    /// resolution (counted twice: pixels), fine-tune depth and epochs.
    /// </summary>
    public static double Cost(double[] x) => 2 * x[0] + x[1] + 2 * x[2] + 0.5 * x[3] + x[6];

    /// <summary>Choices per coordinate: architecture, fine-tune mode, batch size and augmentation are discrete.</summary>
    public int[] Levels => [Architectures.Count, 0, 0, Modes.Length, 0, Batches.Length, 0, 2];

    private readonly IReadOnlyDictionary<Architecture, (PretrainedWeights Weights, double Width)> _pretrained;

    /// <param name="architectures">The architectures allowed (any order, at least one).</param>
    /// <param name="pretrained">Weights and the width they were made for, per architecture that has them.</param>
    /// <param name="channels">Input channels of the data (1 or 3).</param>
    /// <param name="canAugment">Whether the input is decoded images (paths or images), which augmentation needs.</param>
    public ImageSearchSpace(IEnumerable<Architecture> architectures, IReadOnlyDictionary<Architecture, (PretrainedWeights Weights, double Width)> pretrained,
        int channels, bool canAugment)
    {
        var allowed = architectures.ToHashSet();
        Architectures = CostOrder.Where(allowed.Contains).ToArray();
        if (Architectures.Count == 0) throw new ArgumentException("The experiment needs at least one architecture.");
        _pretrained = pretrained;
        Channels = channels;
        CanAugment = canAugment;
    }

    /// <summary>The architectures searched, cheapest first.</summary>
    public IReadOnlyList<Architecture> Architectures { get; }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Whether augmentation can apply.</summary>
    public bool CanAugment { get; }

    /// <summary>The input sizes searched for <paramref name="architecture"/>, smallest first.</summary>
    public static IReadOnlyList<int> Resolutions(Architecture architecture)
    {
        var (low, high) = architecture switch
        {
            Architecture.LeNet5 => (28, 32),
            Architecture.SmallVgg => (32, 64),
            Architecture.InceptionV3 => (96, 299),
            _ => (32, 224),
        };
        low = Math.Max(low, ModelZoo.MinimumInputSize(architecture));
        return Sizes.Where(s => s >= low && s <= high).ToArray();
    }

    /// <summary>The width multipliers searched for <paramref name="architecture"/> without weights, smallest first.</summary>
    public static IReadOnlyList<double> Widths(Architecture architecture) => architecture switch
    {
        Architecture.MobileNetV1 => [0.25, 0.5, 0.75, 1.0],
        Architecture.MobileNetV2 => [0.35, 0.5, 0.75, 1.0],
        _ => [1.0],
    };

    private static T Pick<T>(IReadOnlyList<T> values, double x) => values[Math.Clamp((int)(x * values.Count), 0, values.Count - 1)];

    /// <summary>The configuration at <paramref name="x"/> ∈ [0, 1]^8.</summary>
    public ImageTrialConfiguration Configure(double[] x)
    {
        var architecture = Pick(Architectures, x[0]);
        bool pretrained = _pretrained.TryGetValue(architecture, out var weights);
        double width = pretrained ? weights.Width : Pick(Widths(architecture), x[1]);
        int resolution = Pick(Resolutions(architecture), x[2]);
        var fineTune = pretrained ? Pick(Modes, x[3]) : FineTune.Full;
        double exponent = !pretrained ? -4 : fineTune == FineTune.HeadOnly ? -3 : -5;
        float learningRate = (float)Math.Pow(10, exponent + 2 * x[4]);
        int epochs = (int)Math.Round(2 * Math.Pow(25, x[6]));
        bool augment = x[7] >= 0.5 && CanAugment && fineTune.LastBlockCount > 0;
        return new ImageTrialConfiguration(architecture, width, resolution, fineTune, pretrained ? weights.Weights : null, learningRate,
            Pick(Batches, x[5]), epochs, augment);
    }

    /// <summary>The trainer options of a configuration (validation 10 %, early stopping with patience 3, one seed).</summary>
    public ImageClassificationOptions Options(ImageTrialConfiguration c, string label, string image, int seed, string? workspace, CancellationToken token) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = image,
        Architecture = c.Architecture,
        ZooOptions = new ZooOptions { WidthMultiplier = c.WidthMultiplier, InputSize = c.Resolution, InputChannels = Channels },
        Weights = c.Weights,
        FineTune = c.FineTune,
        Epochs = c.Epochs,
        BatchSize = c.BatchSize,
        LearningRate = c.LearningRate,
        ValidationFraction = 0.1,
        EarlyStopping = new EarlyStopping(patience: 3, restoreBestWeights: true),
        Augmentation = c.Augment ? Augmentation(c.Resolution) : null,
        WorkspacePath = workspace,
        Seed = seed,
        CancellationToken = token,
    };

    private static AugmentationOptions Augmentation(int size) => new()
    {
        CropWidth = size, CropHeight = size, CropScale = (0.5, 1.0), HorizontalFlipProbability = 0.5, MaxRotationDegrees = 10,
        Brightness = 0.2, Contrast = 0.2,
    };

    private static bool HasWidths(Architecture a) => Widths(a).Count > 1;

    /// <summary>E.g. "mobilenet_v2 α0.5 96px, head, lr 0.02, batch 32, ≤6 epochs"; equal texts are equal configurations.</summary>
    public static string Describe(ImageTrialConfiguration c) => string.Create(CultureInfo.InvariantCulture,
        $"{ModelZoo.NameOf(c.Architecture)}{(HasWidths(c.Architecture) ? $" α{c.WidthMultiplier:0.##}" : "")} {c.Resolution}px, {(c.Weights is null ? "scratch" : c.FineTune.ToString())}, lr {c.LearningRate:G2}, batch {c.BatchSize}, ≤{c.Epochs} epochs{(c.Augment ? ", augmented" : "")}");

    /// <summary>The configuration without its epoch limit, and the limit.</summary>
    public static (string Family, int EpochLimit) EpochLimit(ImageTrialConfiguration c) => (Describe(c with { Epochs = 0 }), c.Epochs);

    /// <summary>
    /// The smallest epoch limit that trains a fitted pipeline's network again (see
    /// <see cref="ImageClassificationTransformer.SameNetworkFromEpochs"/>; a trial's training depends on the limit only
    /// through where it stops — no schedule spans the epochs), or null when the epoch limit ended it.
    /// </summary>
    public static int? SameNetworkFromLimit(ITransformer model) => model switch
    {
        ImageClassificationTransformer t => t.SameNetworkFromEpochs,
        IEnumerable<ITransformer> chain => chain.Select(SameNetworkFromLimit).FirstOrDefault(e => e is not null),
        _ => null,
    };

    /// <summary>The configuration as named values.</summary>
    public static Dictionary<string, object> Parameters(ImageTrialConfiguration c) => new()
    {
        ["architecture"] = ModelZoo.NameOf(c.Architecture),
        ["widthMultiplier"] = c.WidthMultiplier,
        ["resolution"] = c.Resolution,
        ["fineTune"] = c.Weights is null ? "scratch" : c.FineTune.ToString(),
        ["learningRate"] = c.LearningRate,
        ["batchSize"] = c.BatchSize,
        ["epochs"] = c.Epochs,
        ["augmentation"] = c.Augment,
    };

    /// <summary>
    /// The width multiplier <paramref name="weights"/> were made for: the first of 1 and the searched widths whose
    /// feature extractor (with <paramref name="channels"/> input channels) has every tensor in the file with its shape.
    /// </summary>
    /// <exception cref="ArgumentException">No width fits; the message names a tensor that does not.</exception>
    public static double PretrainedWidth(Architecture architecture, PretrainedWeights weights, int channels)
    {
        var tensors = weights.Load();
        string? reason = null;
        foreach (double width in Widths(architecture).Reverse())
        {
            var extractor = ModelZoo.CreateFeatureExtractor(architecture, new ZooOptions { WidthMultiplier = width, InputChannels = channels, InputSize = Resolutions(architecture)[0] });
            var (name, value) = extractor.StateDict().FirstOrDefault(t => !tensors.TryGetValue(t.Name, out var v) || !v.Shape.SequenceEqual(t.Value.Shape));
            if (name is null) return width;
            reason ??= tensors.TryGetValue(name, out var found)
                ? $"'{name}' is {found.ShapeString} in the file but {value.ShapeString} in the network"
                : $"the file has no '{name}'";
        }
        throw new ArgumentException($"The weights {weights.Path} do not fit {ModelZoo.NameOf(architecture)} with {channels} input channel{(channels == 1 ? "" : "s")} " +
            $"at width multiplier {string.Join(", ", Widths(architecture).Reverse().Select(w => w.ToString(CultureInfo.InvariantCulture)))}: {reason}.");
    }
}
