using MLNet.Nets.Callbacks;
using MLNet.Nets.Data;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Training;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Trainers;

/// <summary>Options of the transfer-learning trainer (<c>nets.MulticlassClassification.Trainers.ImageClassification</c>), after ML.NET's ImageClassificationTrainer.</summary>
public sealed class ImageClassificationOptions
{
    /// <summary>The label: a key column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// The input: image paths (text), an image column, or prepared pixels [C, H, W] (a Single vector; one of another
    /// height and width is resized bilinearly to the network's input). Default "ImagePath".
    /// </summary>
    public string FeatureColumnName { get; set; } = "ImagePath";

    /// <summary>The pretrained architecture. Default MobileNetV2.</summary>
    public Architecture Architecture { get; set; } = Architecture.MobileNetV2;

    /// <summary>Its construction options (width multiplier, input size and channels). Default the architecture's own.</summary>
    public ZooOptions? ZooOptions { get; set; }

    /// <summary>
    /// The pretrained weights (.pth, .safetensors, .onnx; from a file or the cache); their classifier is dropped. Required
    /// for <see cref="FineTune.HeadOnly"/> and <see cref="FineTune.LastBlocks"/>; with <see cref="FineTune.Full"/>, null
    /// trains the network from scratch (random initial weights seeded by <see cref="Seed"/>). Default null.
    /// </summary>
    public PretrainedWeights? Weights { get; set; }

    /// <summary>What is trained. Default <see cref="FineTune.HeadOnly"/>.</summary>
    public FineTune FineTune { get; set; } = FineTune.HeadOnly;

    /// <summary>Passes over the training images. Default 20.</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>Images per step. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The learning rate. Default 0.01 (right for the head) — use about 1e-4 with Full or LastBlocks.</summary>
    public float LearningRate { get; set; } = 0.01f;

    /// <summary>The optimizer; default Adam at <see cref="LearningRate"/>.</summary>
    public Optimizer? Optimizer { get; set; }

    /// <summary>A learning-rate schedule (epoch, rate → rate). Default none.</summary>
    public Func<int, float, float>? LearningRateScheduler { get; set; }

    /// <summary>Share of the training images held out for validation when <see cref="ValidationSet"/> is null. Default 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>An explicit validation set. Default null.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>Early stopping on the validation loss. Default none.</summary>
    public EarlyStopping? EarlyStopping { get; set; }

    /// <summary>Called after each epoch. Default none.</summary>
    public Action<CnnEpochMetrics>? MetricsCallback { get; set; }

    /// <summary>Per-batch progress. Default none.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Augmentation of decoded images for Full/LastBlocks training (ignored for HeadOnly, whose features are cached). Default none.</summary>
    public AugmentationOptions? Augmentation { get; set; }

    /// <summary>Folder of the bottleneck cache; null for the user's cache folder (mlnet-nets/bottlenecks). Default null.</summary>
    public string? WorkspacePath { get; set; }

    /// <summary>Reuse cached bottlenecks of the same images, network and weights from earlier runs. Default true.</summary>
    public bool ReuseCachedBottlenecks { get; set; } = true;

    /// <summary>Give missing predictions' rows no weight instead of failing on undecodable images. Default false.</summary>
    public bool SkipBadImages { get; set; }

    /// <summary>Seed; null draws one from the context. Default null.</summary>
    public int? Seed { get; set; }

    /// <summary>Cancels between batches. Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
