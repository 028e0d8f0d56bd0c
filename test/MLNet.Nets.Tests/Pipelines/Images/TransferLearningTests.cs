using MLNet.Nets.Data;
using MLNet.Nets.Serialization;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Tests.Pipelines.Images;

[TestClass]
public sealed class TransferLearningTests
{
    private static readonly ZooOptions Small = new() { WidthMultiplier = 0.35, InputSize = 64 };

    /// <summary>"Pretrained" weights: a MobileNetV2 made and saved here (real weights cannot be downloaded in CI).</summary>
    private static string Weights()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbv2-{Guid.NewGuid():N}.safetensors");
        var model = ModelZoo.Create(Architecture.MobileNetV2, 1000, new ZooOptions { WidthMultiplier = 0.35, InputSize = 64, Seed = 11 });
        // A fresh network's batch-norm statistics (mean 0, variance 1) make its eval-mode features vanish (~1e-9);
        // pretrained weights carry calibrated ones. Calibrate them on noise images, as a first training pass would.
        var random = new Random(2);
        for (int i = 0; i < 30; i++) model.Forward(MLNet.Nets.Tensors.Tensor.RandomUniform(random, -2f, 2f, 16, 3, 64, 64), training: true);
        SafeTensors.Write(path, model.StateDict().Select(w => new KeyValuePair<string, MLNet.Nets.Tensors.Tensor>(w.Name, w.Value)));
        return path;
    }

    private static string Folders()
    {
        string root = Path.Combine(Path.GetTempPath(), $"transfer-{Guid.NewGuid():N}");
        var random = new Random(5);
        foreach (var (name, channel) in new[] { ("red", 0), ("blue", 2) })
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int n = 0; n < 16; n++)
            {
                var pixels = new byte[20 * 16 * 3];
                for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(random.Next(80) + (i % 3 == channel ? 150 : 0));
                File.WriteAllBytes(Path.Combine(root, name, $"{n}.ppm"), [.. System.Text.Encoding.ASCII.GetBytes("P6\n20 16\n255\n"), .. pixels]);
            }
        }
        return root;
    }

    [TestMethod]
    public void HeadOnlyCachesBottlenecksLearnsAndSaves()
    {
        string weights = Weights(), root = Folders(), workspace = Path.Combine(Path.GetTempPath(), $"ws-{Guid.NewGuid():N}");
        ImageClassificationTrainer Trainer(NetsContext nets) => nets.MulticlassClassification.Trainers.ImageClassification(new ImageClassificationOptions
        {
            Architecture = Architecture.MobileNetV2, ZooOptions = Small, Weights = PretrainedWeights.FromFile(weights),
            Epochs = 30, BatchSize = 8, LearningRate = 0.05f, ValidationFraction = 0, WorkspacePath = workspace, Seed = 3,
        });
        var nets = new NetsContext(0);
        var data = nets.Data.LoadImagesFromDirectory(root);
        var first = Trainer(nets);
        var model = nets.Transforms.Conversion.MapValueToKey("Label").Append(first).Fit(data);
        Assert.IsFalse(first.UsedCachedBottlenecks);
        Assert.IsTrue(File.Exists(first.BottleneckCachePath));
        var scored = model.Transform(data);
        var accuracy = scored.GetColumn<uint>("PredictedLabel").Zip(scored.GetColumn<uint>("Label"), (p, t) => p == t ? 1.0 : 0.0).Average();
        Assert.IsTrue(accuracy >= 0.9, $"training accuracy {accuracy}");

        var second = Trainer(new NetsContext(0));
        var again = new NetsContext(0).Transforms.Conversion.MapValueToKey("Label").Append(second).Fit(data);
        Assert.IsTrue(second.UsedCachedBottlenecks, "the second run reuses the cached bottlenecks");
        CollectionAssert.AreEqual(scored.GetColumn<float>("Score"), again.Transform(data).GetColumn<float>("Score"));

        string path = Path.Combine(Path.GetTempPath(), $"transfer-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Score"), nets.Model.Load(path, out _).Transform(data).GetColumn<float>("Score"));
    }

    [TestMethod]
    public void LastBlocksTrainsOnlyTheLastBlocksAndTheHead()
    {
        string weights = Weights(), root = Folders();
        var nets = new NetsContext(0);
        var data = nets.Data.LoadImagesFromDirectory(root);
        var trainer = nets.MulticlassClassification.Trainers.ImageClassification(new ImageClassificationOptions
        {
            Architecture = Architecture.MobileNetV2, ZooOptions = Small, Weights = PretrainedWeights.FromFile(weights), FineTune = FineTune.LastBlocks(2),
            Epochs = 2, BatchSize = 8, LearningRate = 0.01f, ValidationFraction = 0.25, Seed = 3,
            Augmentation = new AugmentationOptions { HorizontalFlipProbability = 0.5 },
        });
        var model = nets.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(data);
        var network = model.LastTransformer.Stages.Single();
        var original = SafeTensors.Read(weights).Tensors;
        var state = network.StateDict().ToDictionary(w => w.Name, w => w.Value);
        CollectionAssert.AreEqual(original["features.1.conv.0.0.weight"].Span.ToArray(), state["features.1.conv.0.0.weight"].Span.ToArray(), "an early block stays frozen");
        CollectionAssert.AreNotEqual(original["features.18.0.weight"].Span.ToArray(), state["features.18.0.weight"].Span.ToArray(), "the last block trains");
        Assert.AreEqual(2, state["classifier.1.weight"].Dim(0));
    }

    [TestMethod]
    public void FeaturizeImageFeedsABpClassifierAndSaves()
    {
        string weights = Weights(), root = Folders();
        var nets = new NetsContext(0);
        var data = nets.Data.LoadImagesFromDirectory(root);
        var pipeline = nets.Transforms.Conversion.MapValueToKey("Label")
            .Append(nets.Transforms.FeaturizeImage("Features", "ImagePath", Architecture.MobileNetV2, PretrainedWeights.FromFile(weights), Small))
            .Append(nets.MulticlassClassification.Trainers.BackPropagation(new BackPropagationOptions { HiddenLayers = [8], MaxEpochs = 200, ValidationFraction = 0, Seed = 2 }));
        var model = pipeline.Fit(data);
        var scored = model.Transform(data);
        Assert.AreEqual(1280 * 35 / 100 < 1280 ? 1280 : 1280, scored.Schema["Features"].Type.Size, "MobileNetV2 keeps 1280 features below width 1.0");
        var accuracy = scored.GetColumn<uint>("PredictedLabel").Zip(scored.GetColumn<uint>("Label"), (p, t) => p == t ? 1.0 : 0.0).Average();
        Assert.IsTrue(accuracy >= 0.9, $"accuracy {accuracy}");
        string path = Path.Combine(Path.GetTempPath(), $"featurize-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Features"), nets.Model.Load(path, out _).Transform(data).GetColumn<float>("Features"));
    }

    [TestMethod]
    public void WeightsThatDoNotFitAreAClearError()
    {
        string root = Folders();
        string lenet = Path.Combine(Path.GetTempPath(), $"lenet-{Guid.NewGuid():N}.safetensors");
        SafeTensors.Write(lenet, ModelZoo.Create(Architecture.LeNet5, 10).StateDict().Select(w => new KeyValuePair<string, MLNet.Nets.Tensors.Tensor>(w.Name, w.Value)));
        var nets = new NetsContext(0);
        var data = nets.Data.LoadImagesFromDirectory(root);
        var e = Assert.ThrowsException<InvalidDataException>(() => nets.Transforms.Conversion.MapValueToKey("Label")
            .Append(nets.MulticlassClassification.Trainers.ImageClassification(new ImageClassificationOptions
            {
                Architecture = Architecture.MobileNetV2, ZooOptions = Small, Weights = PretrainedWeights.FromFile(lenet),
            })).Fit(data));
        StringAssert.Contains(e.Message, lenet);
        Assert.ThrowsException<ArgumentException>(() => nets.MulticlassClassification.Trainers.ImageClassification(new ImageClassificationOptions()));
    }
    [TestMethod]
    public void FullWithoutWeightsTrainsFromScratchOnPixelsOfAnotherSize()
    {
        var nets = new NetsContext(0);
        string dir = MLNet.Nets.Datasets.DataDirectory.Find("mnist");
        var digits = new FilteredDataView(nets.Data.LoadFromIdx(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz")), r => r < 300, 300).Cache();
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => nets.MulticlassClassification.Trainers.ImageClassification(
            new ImageClassificationOptions { FineTune = FineTune.LastBlocks(1) })).Message, "only FineTune.Full trains from scratch");
        var trainer = nets.MulticlassClassification.Trainers.ImageClassification(new ImageClassificationOptions
        {
            Architecture = Architecture.LeNet5, ZooOptions = new ZooOptions { InputSize = 32, InputChannels = 1 }, FineTune = FineTune.Full,
            FeatureColumnName = "Features", Epochs = 10, BatchSize = 32, LearningRate = 2e-3f, ValidationFraction = 0, Seed = 1,
        });
        var model = nets.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(digits);
        // The 28×28 digits were resized to the network's 32×32 input, in training and in prediction.
        Assert.AreEqual("[1, 10]", model.LastTransformer.Stages.Single().Predict(new MLNet.Nets.Tensors.Tensor(1, 1, 32, 32)).ShapeString);
        var scored = model.Transform(digits);
        var accuracy = scored.GetColumn<uint>("PredictedLabel").Zip(scored.GetColumn<uint>("Label"), (p, t) => p == t ? 1.0 : 0.0).Average();
        Assert.IsTrue(accuracy >= 0.8, $"training accuracy {accuracy}");
        string path = Path.Combine(Path.GetTempPath(), $"scratch-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, digits.Schema, path);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Score"), nets.Model.Load(path, out _).Transform(digits).GetColumn<float>("Score"));
    }
}
