using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Trainers;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Tests.Pipelines.AutoML;

[TestClass]
public sealed class ImageExperimentTests
{
    private static readonly Dictionary<Architecture, (PretrainedWeights Weights, double Width)> NoWeights = [];

    /// <summary>400 MNIST test-set digits to search on and 300 others to check the best model on (28×28 pixels in [0, 1]).</summary>
    private static (IDataView Train, IDataView HeldOut) Digits(NetsContext nets)
    {
        string dir = DataDirectory.Find("mnist");
        var all = nets.Data.LoadFromIdx(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        return (new FilteredDataView(all, r => r < 400, 400).Cache(), new FilteredDataView(all, r => r >= 5000 && r < 5300, 300).Cache());
    }

    private static string TempFolder(string name) => Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");

    private static string[] FilesIn(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [TestMethod]
    public void TheCheapStartIsTheCheapestConfiguration()
    {
        var space = new ImageSearchSpace(ImageSearchSpace.DefaultArchitectures, NoWeights, 1, canAugment: true);
        var cheap = space.Configure(ImageSearchSpace.CheapStart);
        Assert.AreEqual(Architecture.LeNet5, cheap.Architecture);
        Assert.AreEqual(28, cheap.Resolution);
        Assert.AreEqual(FineTune.Full, cheap.FineTune);
        Assert.IsNull(cheap.Weights, "without weights the network trains from scratch");
        Assert.IsTrue(cheap.Epochs <= 6, $"{cheap.Epochs} epochs");
        Assert.IsFalse(cheap.Augment);
        Assert.AreEqual("lenet5 28px, scratch, lr 0.002, batch 32, ≤5 epochs", ImageSearchSpace.Describe(cheap));

        // Every other point is at least as expensive in architecture, width and resolution.
        var order = space.Architectures.ToList();
        var random = new Random(1);
        for (int i = 0; i < 500; i++)
        {
            var c = space.Configure(Enumerable.Range(0, ImageSearchSpace.Dimensions).Select(_ => random.NextDouble()).ToArray());
            Assert.IsTrue(order.IndexOf(c.Architecture) >= order.IndexOf(cheap.Architecture));
            if (c.Architecture == cheap.Architecture) Assert.IsTrue(c.Resolution >= cheap.Resolution && c.WidthMultiplier >= cheap.WidthMultiplier);
        }

        // Without LeNet-5 the cheapest is the narrowest MobileNet V1 at 32 pixels; with weights, training the head only.
        var mobile = new ImageSearchSpace([Architecture.MobileNetV3Large, Architecture.MobileNetV2, Architecture.MobileNetV1], NoWeights, 3, canAugment: true)
            .Configure(ImageSearchSpace.CheapStart);
        Assert.AreEqual((Architecture.MobileNetV1, 0.25, 32), (mobile.Architecture, mobile.WidthMultiplier, mobile.Resolution));
        var weights = PretrainedWeights.FromFile(SaveWeights(ModelZoo.Create(Architecture.LeNet5, 10)));
        var head = new ImageSearchSpace(ImageSearchSpace.DefaultArchitectures, new Dictionary<Architecture, (PretrainedWeights, double)> { [Architecture.LeNet5] = (weights, 1.0) }, 1, true)
            .Configure(ImageSearchSpace.CheapStart);
        Assert.AreEqual(FineTune.HeadOnly, head.FineTune);
        Assert.AreSame(weights, head.Weights);
    }

    [TestMethod]
    public void EveryPointMapsToANetworkTheZooBuildsAndRuns()
    {
        var all = Enum.GetValues<Architecture>();
        var random = new Random(7);
        var built = new HashSet<(Architecture, double, int, int)>();
        foreach (int channels in new[] { 1, 3 })
        {
            var space = new ImageSearchSpace(all, NoWeights, channels, canAugment: channels == 3);
            CollectionAssert.AreEquivalent(all, space.Architectures.ToArray());
            for (int i = 0; i < 400; i++)
            {
                var c = space.Configure(Enumerable.Range(0, ImageSearchSpace.Dimensions).Select(_ => random.NextDouble()).ToArray());
                Assert.IsTrue(c.Resolution >= ModelZoo.MinimumInputSize(c.Architecture), ImageSearchSpace.Describe(c));
                CollectionAssert.Contains(ImageSearchSpace.Resolutions(c.Architecture).ToArray(), c.Resolution);
                CollectionAssert.Contains(ImageSearchSpace.Widths(c.Architecture).ToArray(), c.WidthMultiplier);
                Assert.IsTrue(c.LearningRate is >= 1e-4f and <= 1e-2f && c.Epochs is >= 2 and <= 50 && c.BatchSize is >= 16 and <= 128, ImageSearchSpace.Describe(c));
                if (!built.Add((c.Architecture, c.WidthMultiplier, c.Resolution, channels))) continue;
                var options = space.Options(c, "Label", "Features", 0, null, default);
                var network = ModelZoo.Create(c.Architecture, 10, options.ZooOptions);
                // Running a batch checks every layer's shapes; small inputs are where an architecture would break.
                if (c.Resolution <= 64)
                {
                    var output = network.Predict(new Tensor(1, channels, c.Resolution, c.Resolution));
                    Assert.AreEqual("[1, 10]", output.ShapeString, ImageSearchSpace.Describe(c));
                }
            }
        }
        // Each architecture's smallest searched input runs.
        foreach (var a in all)
        {
            int size = ImageSearchSpace.Resolutions(a)[0];
            Assert.AreEqual("[1, 10]", ModelZoo.Create(a, 10, new ZooOptions { InputSize = size, InputChannels = 3, WidthMultiplier = ImageSearchSpace.Widths(a)[0] })
                .Predict(new Tensor(1, 3, size, size)).ShapeString, a.ToString());
        }
        Assert.IsTrue(built.Count > 50, $"{built.Count} distinct networks");
    }

    [TestMethod]
    public void AnEpochLimitFromTheKeptEpochOnTrainsTheSameNetworkWhenEarlyStoppingEndedATrial()
    {
        // The premise on which the experiment answers such image configurations from the earlier trial (trials cost
        // minutes): with the trial options (early stopping with patience 3 that restores the best epoch, one seed), any
        // limit from the kept epoch on trains the same network; one epoch less is a different network.
        var nets = new NetsContext(0);
        var (train, heldOut) = Digits(nets);
        var space = new ImageSearchSpace([Architecture.LeNet5], NoWeights, 1, canAugment: false);
        var config = space.Configure(ImageSearchSpace.CheapStart) with { Epochs = 50 };
        ITransformer Fit(int epochs) => nets.Transforms.Conversion.MapValueToKey("Label")
            .Append(nets.MulticlassClassification.Trainers.ImageClassification(space.Options(config with { Epochs = epochs }, "Label", "Features", 4, null, default)))
            .Fit(train);
        float[] Scores(ITransformer model) => model.Transform(heldOut).GetColumn<float>("Score");

        var long_ = Fit(50);
        int kept = ImageSearchSpace.SameNetworkFromLimit(long_) ?? 0;
        Assert.IsTrue(kept is > 1 and < 47, $"early stopping ended the 50-epoch run and kept epoch {kept}");
        var atKept = Fit(kept);
        Assert.IsNull(ImageSearchSpace.SameNetworkFromLimit(atKept), "the limit ended that run");
        CollectionAssert.AreEqual(Scores(long_), Scores(atKept));
        CollectionAssert.AreNotEqual(Scores(long_), Scores(Fit(kept - 1)));
        Assert.AreEqual(("lenet5 28px, scratch, lr 0.002, batch 32, ≤0 epochs", 50), ImageSearchSpace.EpochLimit(config));
    }

    [TestMethod]
    public void ExperimentOnDigitsRecordsTrialsAndItsBestModelGeneralizes()
    {
        var nets = new NetsContext(0);
        var (train, heldOut) = Digits(nets);
        string folder = TempFolder("automl-image");
        var seen = new List<TrialResult>();
        var experiment = nets.Auto().CreateImageClassificationExperiment(new ImageClassificationExperimentSettings
        {
            MaxTrials = 4, MaxExperimentTimeInSeconds = 120, ExperimentFolder = folder, OnTrialCompleted = seen.Add,
            Architectures = [Architecture.LeNet5, Architecture.MobileNetV1],
        });
        Assert.AreEqual("MicroAccuracy", experiment.MetricName);
        var result = experiment.Execute(train, "Label", "Features");

        Assert.AreEqual(4, result.Trials.Count);
        CollectionAssert.AreEqual(result.Trials.ToArray(), seen.ToArray(), "OnTrialCompleted saw every trial in order");
        Assert.AreEqual(4, result.Trials.Select(t => t.Settings).Distinct().Count(), "repeated configurations are not trials");
        foreach (var t in result.Trials)
        {
            Assert.IsTrue(t.Succeeded, t.Error);
            Assert.AreEqual(1, t.FoldMetrics.Count, "a holdout by default");
            Assert.IsTrue(t.Metric is >= 0 and <= 1 && t.Duration > TimeSpan.Zero && t.PeakMemoryBytes > 0, t.ToString());
            StringAssert.Contains(t.Settings, "px");
            CollectionAssert.IsSubsetOf(new[] { "architecture", "resolution", "fineTune", "learningRate", "batchSize", "epochs", "augmentation" }, t.Parameters.Keys.ToArray());
        }
        Assert.IsTrue(result.Trials.Zip(result.Trials.Skip(1)).All(p => p.First.ElapsedAtEnd < p.Second.ElapsedAtEnd));
        Assert.AreEqual(result.Trials.Max(t => t.Metric), result.BestRun!.Metric);
        Assert.IsFalse(result.WasCancelled);

        var scored = result.BestModel!.Transform(heldOut);
        var predicted = scored.GetColumn<float>("PredictedLabel");
        var truth = heldOut.GetColumn<float>("Label");
        double accuracy = predicted.Zip(truth, (p, t) => p == t ? 1.0 : 0.0).Average();
        Assert.IsTrue(accuracy > 0.5, $"held-out accuracy {accuracy} of {result.BestRun.Settings}");
        Assert.AreEqual(accuracy, nets.MulticlassClassification.Evaluate(scored, "Label").MicroAccuracy, 1e-12);

        string path = Path.Combine(folder, "best.zip");
        nets.Model.Save(result.BestModel, train.Schema, path);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Score"), nets.Model.Load(path, out _).Transform(heldOut).GetColumn<float>("Score"));
        CollectionAssert.AreEqual(new[] { "best.zip", "progress.svg", "trials.csv" }, FilesIn(folder));
        Assert.AreEqual(5, File.ReadAllLines(Path.Combine(folder, "trials.csv")).Length, "header + one line per trial");
    }

    [TestMethod]
    public void CancellingMidTrialReturnsTheBestFoldModelAndNoPartialFiles()
    {
        var nets = new NetsContext(0);
        var (train, _) = Digits(nets);
        string folder = TempFolder("automl-image-cancel");
        using var cancel = new CancellationTokenSource();
        var result = nets.Auto().CreateImageClassificationExperiment(new ImageClassificationExperimentSettings
        {
            MaxExperimentTimeInSeconds = 120, ExperimentFolder = folder, CancellationToken = cancel.Token, Seed = 3,
            Architectures = [Architecture.LeNet5],
            // After the second trial, cancel while the third trains (a LeNet-5 trial takes about a second).
            OnTrialCompleted = t => { if (t.Index == 1) cancel.CancelAfter(300); },
        }).Execute(train, "Label", "Features");

        Assert.IsTrue(result.WasCancelled);
        Assert.IsTrue(result.Trials.Count >= 2, $"{result.Trials.Count} trials");
        // The trial running at the cancellation (if one was) is recorded as cancelled; the others completed.
        var last = result.Trials[^1];
        Assert.IsTrue(last.Succeeded || last.Error == "cancelled", last.Error);
        Assert.IsTrue(result.Trials.SkipLast(1).All(t => t.Succeeded));
        Assert.AreEqual(result.Trials.Where(t => t.Succeeded).Max(t => t.Metric), result.BestRun!.Metric);
        // Cancelled: no refit; the best trial's own model comes back, and it scores what the trial recorded on the same holdout.
        var holdout = nets.Data.TrainTestSplit(train, 0.2, "Label", seed: 3).TestSet;
        Assert.AreEqual(result.BestRun.Metric, nets.MulticlassClassification.Evaluate(result.BestModel!.Transform(holdout), "Label").MicroAccuracy, 1e-12);
        CollectionAssert.AreEqual(new[] { "progress.svg", "trials.csv" }, FilesIn(folder), "no temporary or partial files");
        Assert.AreEqual(result.Trials.Count + 1, File.ReadAllLines(Path.Combine(folder, "trials.csv")).Length);
    }

    [TestMethod]
    public void AFailingConfigurationIsRecordedAndTheExperimentGoesOn()
    {
        // Damaged pretrained weights (a NaN in the first convolution) make every MobileNet V3 Small trial diverge, while
        // LeNet-5 trains from scratch.
        var damaged = ModelZoo.Create(Architecture.MobileNetV3Small, 10, new ZooOptions { InputChannels = 1 });
        damaged.StateDict()[0].Value.Span[0] = float.NaN;
        var weights = PretrainedWeights.FromFile(SaveWeights(damaged));
        var architectures = new[] { Architecture.LeNet5, Architecture.MobileNetV3Small };
        var space = new ImageSearchSpace(architectures, new Dictionary<Architecture, (PretrainedWeights, double)> { [Architecture.MobileNetV3Small] = (weights, 1.0) }, 1, false);
        // Random search proposes the same points whatever the scores: take a seed whose first four trials have both
        // architectures at small inputs, so that the test stays short.
        int seed = Enumerable.Range(0, 1000).First(s =>
        {
            var tuner = Tuner.Create(TunerKind.Random, ImageSearchSpace.Dimensions, ImageSearchSpace.CheapStart, s);
            var first = Enumerable.Range(0, 4).Select(_ => space.Configure(tuner.Propose())).ToList();
            return first.Count(c => c.Architecture == Architecture.LeNet5) == 2 && first.All(c => c.Resolution <= 64 && c.Epochs <= 20);
        });
        var nets = new NetsContext(0);
        var (train, _) = Digits(nets);
        var result = nets.Auto().CreateImageClassificationExperiment(new ImageClassificationExperimentSettings
        {
            MaxTrials = 4, MaxExperimentTimeInSeconds = 120, Tuner = TunerKind.Random, Seed = seed, Architectures = architectures,
            PretrainedWeights = { [Architecture.MobileNetV3Small] = weights }, WorkspacePath = TempFolder("bottlenecks"),
        }).Execute(train, "Label", "Features");

        Assert.AreEqual(4, result.Trials.Count, "failed trials do not stop the experiment");
        foreach (var t in result.Trials)
        {
            if (t.Settings.StartsWith("lenet5", StringComparison.Ordinal)) Assert.IsTrue(t.Succeeded, t.Error);
            else
            {
                Assert.IsFalse(t.Succeeded);
                Assert.IsTrue(double.IsNaN(t.Metric));
                StringAssert.StartsWith(t.Error, nameof(MLNet.Nets.Training.TrainingDivergedException));
            }
        }
        StringAssert.StartsWith(result.BestRun!.Settings, "lenet5");
        Assert.IsNotNull(result.BestModel);
    }

    [TestMethod]
    public void WeightsFixTheWidthMultiplierAndWeightsThatFitNothingAreRejected()
    {
        var half = PretrainedWeights.FromFile(SaveWeights(ModelZoo.Create(Architecture.MobileNetV2, 10, new ZooOptions { WidthMultiplier = 0.5 })));
        Assert.AreEqual(0.5, ImageSearchSpace.PretrainedWidth(Architecture.MobileNetV2, half, 3));
        var space = new ImageSearchSpace([Architecture.MobileNetV2], new Dictionary<Architecture, (PretrainedWeights, double)> { [Architecture.MobileNetV2] = (half, 0.5) }, 3, true);
        var random = new Random(2);
        var modes = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            var c = space.Configure(Enumerable.Range(0, ImageSearchSpace.Dimensions).Select(_ => random.NextDouble()).ToArray());
            Assert.AreEqual(0.5, c.WidthMultiplier);
            Assert.AreSame(half, c.Weights);
            modes.Add(c.FineTune.ToString());
            Assert.IsTrue(c.FineTune == FineTune.HeadOnly ? c.LearningRate >= 1e-3f && !c.Augment : c.LearningRate <= 1e-3f, ImageSearchSpace.Describe(c));
        }
        CollectionAssert.AreEquivalent(new[] { "head", "last:1", "last:3", "full" }, modes.ToArray());

        // The digits have one channel; these weights were made for three.
        var nets = new NetsContext(0);
        var (train, _) = Digits(nets);
        var error = Assert.ThrowsException<ArgumentException>(() => nets.Auto().CreateImageClassificationExperiment(new ImageClassificationExperimentSettings
        {
            PretrainedWeights = { [Architecture.MobileNetV2] = half },
        }).Execute(train, "Label", "Features"));
        StringAssert.Contains(error.Message, "1 input channel");
        StringAssert.Contains(error.Message, "features.0.0.weight");
        Assert.ThrowsException<ArgumentException>(() => nets.Auto().CreateImageClassificationExperiment(new ImageClassificationExperimentSettings
        {
            Architectures = [Architecture.LeNet5], PretrainedWeights = { [Architecture.MobileNetV2] = half },
        }), "weights for an architecture that is not searched");
        Assert.ThrowsException<ArgumentException>(() => nets.Auto().CreateImageClassificationExperiment(new ExperimentSettings { OptimizingMetric = "RSquared" }));
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => nets.Auto().CreateImageClassificationExperiment(60).Execute(train, "Label", "Label")).Message,
            "image column");
    }

    private static string SaveWeights(MLNet.Nets.Models.Model model)
    {
        string path = TempFolder("weights") + ".safetensors";
        SafeTensors.Write(path, model.StateDict().Select(w => new KeyValuePair<string, Tensor>(w.Name, w.Value)));
        return path;
    }
}
