using MLNet.Nets.Catalogs;
using MLNet.Nets.Trainers;

namespace MLNet.Nets;

/// <summary>The CNN trainer on <c>nets.MulticlassClassification.Trainers</c>.</summary>
public static class CnnCatalogExtensions
{
    /// <summary>A trainer for any image-classification network (default LeNet-5) on pixel vectors and a key label.</summary>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(catalog.Context, options);
    }

    /// <summary>Transfer learning from a pretrained zoo network (API tour section 3).</summary>
    public static ImageClassificationTrainer ImageClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ImageClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageClassificationTrainer(catalog.Context, options);
    }
}
