using MLNet.Nets.Catalogs;
using MLNet.Nets.Trainers;

namespace MLNet.Nets;

/// <summary>The back-propagation trainers on the task catalogs: <c>nets.Regression.Trainers.BackPropagation(...)</c> and twins.</summary>
public static class BackPropagationCatalogExtensions
{
    /// <summary>A back-propagation regression trainer (linear output; Levenberg–Marquardt by default).</summary>
    public static BackPropagationTrainer BackPropagation(this RegressionCatalog.RegressionTrainers catalog, BackPropagationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BackPropagationTrainer(catalog.Context, PredictionKind.Regression, options);
    }

    /// <summary>A back-propagation regression trainer with the common options.</summary>
    public static BackPropagationTrainer BackPropagation(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", int[]? hiddenLayers = null, TrainingAlgorithm? algorithm = null, int maxEpochs = 1000) =>
        catalog.BackPropagation(Options(labelColumnName, featureColumnName, hiddenLayers, algorithm, maxEpochs));

    /// <summary>A back-propagation binary classifier (sigmoid output, calibrated probability; Adam by default).</summary>
    public static BackPropagationTrainer BackPropagation(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, BackPropagationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BackPropagationTrainer(catalog.Context, PredictionKind.BinaryClassification, options);
    }

    /// <summary>A back-propagation binary classifier with the common options.</summary>
    public static BackPropagationTrainer BackPropagation(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", int[]? hiddenLayers = null, TrainingAlgorithm? algorithm = null, int maxEpochs = 1000) =>
        catalog.BackPropagation(Options(labelColumnName, featureColumnName, hiddenLayers, algorithm, maxEpochs));

    /// <summary>A back-propagation multiclass classifier (softmax over a key label's categories; Adam by default).</summary>
    public static BackPropagationTrainer BackPropagation(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, BackPropagationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BackPropagationTrainer(catalog.Context, PredictionKind.MulticlassClassification, options);
    }

    /// <summary>A back-propagation multiclass classifier with the common options.</summary>
    public static BackPropagationTrainer BackPropagation(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", int[]? hiddenLayers = null, TrainingAlgorithm? algorithm = null, int maxEpochs = 1000) =>
        catalog.BackPropagation(Options(labelColumnName, featureColumnName, hiddenLayers, algorithm, maxEpochs));

    private static BackPropagationOptions Options(string label, string features, int[]? hidden, TrainingAlgorithm? algorithm, int maxEpochs) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        HiddenLayers = hidden ?? [10],
        Algorithm = algorithm,
        MaxEpochs = maxEpochs,
    };
}
