using MLNet.Nets.Trainers;

namespace MLNet.Nets.AutoML;

/// <summary>AutoML experiments over neural networks (<c>nets.Auto()</c>), like ML.NET's <c>mlContext.Auto()</c>.</summary>
public sealed class AutoCatalog
{
    private readonly NetsContext _context;

    internal AutoCatalog(NetsContext context) => _context = context;

    /// <summary>A regression experiment over BP networks.</summary>
    public TabularExperiment CreateRegressionExperiment(ExperimentSettings settings) => new(_context, PredictionKind.Regression, settings);

    /// <summary>A regression experiment with a time budget in seconds.</summary>
    public TabularExperiment CreateRegressionExperiment(double maxExperimentTimeInSeconds) =>
        CreateRegressionExperiment(new ExperimentSettings { MaxExperimentTimeInSeconds = maxExperimentTimeInSeconds, Seed = _context.Seed ?? 0 });

    /// <summary>A binary classification experiment over BP networks.</summary>
    public TabularExperiment CreateBinaryClassificationExperiment(ExperimentSettings settings) => new(_context, PredictionKind.BinaryClassification, settings);

    /// <summary>
    /// An image classification experiment over zoo networks (LeNet-5, MobileNet V1/V2/V3, small VGG, …) trained from
    /// scratch or fine-tuned from pretrained weights; pass <see cref="ImageClassificationExperimentSettings"/> to give
    /// weights or choose the architectures. Validation defaults to a seeded stratified 20 % holdout.
    /// </summary>
    public ImageClassificationExperiment CreateImageClassificationExperiment(ExperimentSettings settings) => new(_context, settings);

    /// <summary>An image classification experiment with a time budget in seconds and the default architectures, from scratch.</summary>
    public ImageClassificationExperiment CreateImageClassificationExperiment(double maxExperimentTimeInSeconds) =>
        CreateImageClassificationExperiment(new ImageClassificationExperimentSettings { MaxExperimentTimeInSeconds = maxExperimentTimeInSeconds, Seed = _context.Seed ?? 0 });

    /// <summary>A multiclass classification experiment over BP networks.</summary>
    public TabularExperiment CreateMulticlassClassificationExperiment(ExperimentSettings settings) => new(_context, PredictionKind.MulticlassClassification, settings);
}
