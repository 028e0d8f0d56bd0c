using MLNet.Nets.Callbacks;
using MLNet.Nets.Data;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Training;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Trainers;

/// <summary>Options of the CNN classification trainer (<c>nets.MulticlassClassification.Trainers.Cnn</c>). Every default is stated.</summary>
public sealed class CnnOptions
{
    /// <summary>The label: a key column (use <c>MapValueToKey</c>). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The input: a Single vector column of pixels [C, H, W] (e.g. from ExtractPixels or LoadFromIdx). Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The network: any Sequential or functional model whose output is one logit per class. Default null: build <see cref="Architecture"/>.</summary>
    public Model? Network { get; set; }

    /// <summary>A zoo architecture to build (with as many outputs as classes) when <see cref="Network"/> is null. Default LeNet-5.</summary>
    public Architecture Architecture { get; set; } = Architecture.LeNet5;

    /// <summary>The input shape (channels, height, width); null takes it from the feature column's dimensions. Default null.</summary>
    public (int Channels, int Height, int Width)? ImageShape { get; set; }

    /// <summary>Passes over the training rows. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Rows per step. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The optimizer. Default Adam with learning rate 0.001.</summary>
    public Optimizer? Optimizer { get; set; }

    /// <summary>Callbacks such as EarlyStopping or LearningRateScheduler. Default none.</summary>
    public IReadOnlyList<Callback> Callbacks { get; set; } = [];

    /// <summary>Share of the training rows held out (seeded) for validation when <see cref="ValidationSet"/> is null. Default 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>An explicit validation set with the same columns; overrides <see cref="ValidationFraction"/>. Default null.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>Called after every epoch with the losses and accuracies. Default none.</summary>
    public Action<CnnEpochMetrics>? MetricsCallback { get; set; }

    /// <summary>Receives progress after every batch. Default none.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Cancels between batches; the network keeps the weights of the last completed batch. Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Seed of the initial weights, validation rows and shuffling; null draws one from the context. Default null.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// The most bytes of decoded training pixels held in memory. A larger set streams from its view every epoch, decoded
    /// in the background while the network trains, shuffled within a window of <see cref="ShuffleWindow"/> rows. Default 2 GiB.
    /// </summary>
    public long MemoryBudgetBytes { get; set; } = 2L << 30;

    /// <summary>Rows shuffled together when streaming. Default 4096.</summary>
    public int ShuffleWindow { get; set; } = 4096;
}
