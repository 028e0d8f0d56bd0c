using MLNet.Nets.Data;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.AutoML;

/// <summary>
/// An AutoML experiment over zoo networks for image classification: trials architectures (LeNet-5, MobileNets, …),
/// input resolutions, fine-tune modes of pretrained weights, learning rates, batch sizes, epochs and augmentation within
/// the time budget, validates each on a seeded stratified 20 % holdout (or k folds), and refits the best on all the data
/// with the <see cref="ImageClassificationTrainer"/>. Failed trials are recorded with their error and do not stop it.
/// </summary>
/// <example>
/// <code>
/// var nets = new NetsContext(seed: 0);
/// IDataView images = nets.Data.LoadImagesFromDirectory("photos");                 // ImagePath, Label (folder name)
/// ExperimentResult result = nets.Auto().CreateImageClassificationExperiment(300).Execute(images);
/// Console.WriteLine($"{result.BestRun!.Settings}: MicroAccuracy {result.BestRun.Metric:F3}");
/// nets.Model.Save(result.BestModel!, images.Schema, "photos.zip");
/// </code>
/// </example>
public sealed class ImageClassificationExperiment
{
    private readonly NetsContext _context;

    internal ImageClassificationExperiment(NetsContext context, ExperimentSettings settings)
    {
        _context = context;
        Settings = ExperimentRunner.Check(settings);
        if (settings.EnsembleSize is > 1)
        {
            throw new ArgumentException($"EnsembleSize is {settings.EnsembleSize}, but an image experiment refits one network (averaging is for BP networks); leave it null or 1.", nameof(settings));
        }
        (MetricName, HigherIsBetter) = ExperimentMetric.Resolve(PredictionKind.MulticlassClassification, settings.OptimizingMetric);
        var image = settings as ImageClassificationExperimentSettings;
        PretrainedWeights = new Dictionary<Architecture, PretrainedWeights>(image?.PretrainedWeights ?? new Dictionary<Architecture, PretrainedWeights>());
        foreach (var (architecture, weights) in PretrainedWeights)
        {
            ModelZoo.Info(architecture);
            if (weights is null) throw new ArgumentException($"The pretrained weights of {ModelZoo.NameOf(architecture)} are null.", nameof(settings));
        }
        var architectures = image?.Architectures?.Distinct().ToArray()
            ?? ImageSearchSpace.DefaultArchitectures.Union(PretrainedWeights.Keys).ToArray();
        if (architectures.Length == 0) throw new ArgumentException("Architectures is empty; list at least one or leave it null for the defaults.", nameof(settings));
        foreach (var a in architectures) ModelZoo.Info(a);
        foreach (var unused in PretrainedWeights.Keys.Where(a => !architectures.Contains(a)))
        {
            throw new ArgumentException($"Pretrained weights are given for {ModelZoo.NameOf(unused)}, which is not among the architectures ({string.Join(", ", architectures.Select(ModelZoo.NameOf))}).", nameof(settings));
        }
        Architectures = architectures;
        WorkspacePath = image?.WorkspacePath;
    }

    /// <summary>The settings.</summary>
    public ExperimentSettings Settings { get; }
    /// <summary>The optimized metric: MicroAccuracy (default), MacroAccuracy, LogLoss or LogLossReduction.</summary>
    public string MetricName { get; }
    /// <summary>Whether larger values of it are better.</summary>
    public bool HigherIsBetter { get; }
    /// <summary>The architectures searched.</summary>
    public IReadOnlyList<Architecture> Architectures { get; }
    /// <summary>The pretrained weights per architecture (the others train from scratch).</summary>
    public IReadOnlyDictionary<Architecture, PretrainedWeights> PretrainedWeights { get; }
    /// <summary>The bottleneck cache folder of head-only trials, or null for the trainer's default.</summary>
    public string? WorkspacePath { get; }

    /// <summary>Runs the experiment on <paramref name="trainData"/>.</summary>
    /// <param name="trainData">The training images (validation splits are taken from it).</param>
    /// <param name="labelColumnName">The label: any values (mapped to keys; predictions are mapped back), or a key column.</param>
    /// <param name="imageColumnName">The images: paths (text, as from LoadImagesFromDirectory; decoded as 3-channel RGB), an
    /// image column (RGB), or prepared pixels as a Single vector [C, H, W] (as from LoadFromIdx: C channels, resized
    /// bilinearly to each trial's resolution). Default "ImagePath", the image trainer's default.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, there are fewer than two classes, or
    /// pretrained weights do not fit their architecture with the data's channels.</exception>
    public ExperimentResult Execute(IDataView trainData, string labelColumnName = "Label", string imageColumnName = "ImagePath")
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var s = Settings;
        var data = trainData.Cache(s.CancellationToken);
        var label = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException($"The label column '{labelColumnName}' is not in the data. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        var image = data.Schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentException($"The image column '{imageColumnName}' is not in the data. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        int channels = image.Type switch
        {
            TextDataViewType or ImageDataViewType => 3,
            VectorDataViewType { Kind: DataKind.Single, Dimensions: [int c, > 0, > 0] } when c is 1 or 3 => c,
            _ => throw new ArgumentException($"The image column '{imageColumnName}' holds {image.Type}; it must hold image paths (text), images, or Single pixels [C, H, W] with 1 or 3 channels."),
        };
        bool mapLabel = label.Type is not KeyDataViewType;
        var keys = mapLabel ? _context.Transforms.Conversion.MapValueToKey(labelColumnName, keyOrdinality: KeyOrdinality.ByValue) : null;
        var keyType = (KeyDataViewType)(keys?.Fit(data).Transform(data) ?? data).Schema[labelColumnName].Type;
        if (keyType.Count < 2) throw new ArgumentException($"The label column '{labelColumnName}' has {keyType.Count} class; at least 2 are needed.");

        var pretrained = PretrainedWeights.ToDictionary(p => p.Key, p => (p.Value, ImageSearchSpace.PretrainedWidth(p.Key, p.Value, channels)));
        var space = new ImageSearchSpace(Architectures, pretrained, channels, canAugment: image.Type is not VectorDataViewType);
        var folds = ExperimentRunner.Folds(_context, data, s.CrossValidationFolds ?? 1, labelColumnName, s.Seed);
        var runner = new ExperimentRunner<ImageTrialConfiguration>
        {
            Settings = s, MetricName = MetricName, HigherIsBetter = HigherIsBetter,
            Dimensions = ImageSearchSpace.Dimensions, CheapStart = ImageSearchSpace.CheapStart,
            Levels = space.Levels, Cost = ImageSearchSpace.Cost,
            Configure = space.Configure, Describe = ImageSearchSpace.Describe, Parameters = ImageSearchSpace.Parameters,
            EpochLimit = ImageSearchSpace.EpochLimit, SameNetworkFromLimit = ImageSearchSpace.SameNetworkFromLimit,
            Estimator = (config, token) =>
            {
                // One network seed for every trial: differences between trials then come from the configurations, not from initial weights.
                var trainer = _context.MulticlassClassification.Trainers.ImageClassification(space.Options(config, labelColumnName, imageColumnName, s.Seed, WorkspacePath, token));
                return keys is null ? trainer : keys.Append(trainer).Append(_context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            },
            Evaluate = scored => ExperimentMetric.Read(_context, PredictionKind.MulticlassClassification, MetricName, scored, labelColumnName),
        };
        return runner.Run(data, folds);
    }
}
