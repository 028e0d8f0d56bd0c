using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Images;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Tests.Pipelines.Images;

[TestClass]
public sealed class ImagePipelineTests
{
    private static string MiscFolder => DataDirectory.Find("images-misc");

    [TestMethod]
    public void LoadResizeExtractEqualsTheImagingFunctions()
    {
        var nets = new NetsContext(0);
        var files = new[] { "tomato.jpg", "banana.jpg", "tomato.bmp", "fillmode_test.png" }.Select(f => Path.Combine(MiscFolder, f)).ToArray();
        var data = nets.Data.LoadFromEnumerable(files.Select(f => new PathRow { ImagePath = f }).ToList());
        var options = new PixelExtractionOptions { Scale = 1f / 255, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };
        var model = nets.Transforms.LoadImages("Image")
            .Append(nets.Transforms.ResizeImages("Image", 40, 30, resizing: ResizeMode.CropToAspect))
            .Append(nets.Transforms.ExtractPixels("Pixels", "Image", options))
            .Fit(data);
        var view = model.Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3, 30, 40), view.Schema["Pixels"].Type);
        var pixels = view.GetColumn<float>("Pixels");
        for (int i = 0; i < files.Length; i++)
        {
            var expected = PixelExtractor.Extract(ImageResizer.Resize(ImageDecoder.Decode(files[i]).ToRgb(), 40, 30, ResizeFilter.Bilinear, ResizeMode.CropToAspect), options).Span;
            CollectionAssert.AreEqual(expected.ToArray(), pixels[(i * 3600)..((i + 1) * 3600)], files[i]);
        }
        string path = Path.Combine(Path.GetTempPath(), $"img-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        CollectionAssert.AreEqual(pixels, nets.Model.Load(path, out _).Transform(data).GetColumn<float>("Pixels"));
    }

    public sealed class PathRow { public string ImagePath { get; set; } = ""; }

    private static string ClassFolders(int perClass, bool withBadFiles)
    {
        // Two classes of synthetic 12×12 images: a bright square top-left vs bottom-right, with noise.
        string root = Path.Combine(Path.GetTempPath(), $"classes-{Guid.NewGuid():N}");
        var random = new Random(3);
        foreach (var (name, corner) in new[] { ("left", 0), ("right", 6) })
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int n = 0; n < perClass; n++)
            {
                var image = new Image(12, 12, ColorMode.Gray);
                for (int y = 0; y < 12; y++)
                    for (int x = 0; x < 12; x++)
                        image.Pixels[y * 12 + x] = (byte)(random.Next(60) + (x >= corner && x < corner + 6 && y >= corner && y < corner + 6 ? 150 : 0));
                File.WriteAllBytes(Path.Combine(root, name, $"{n:D3}.pgm"), [.. System.Text.Encoding.ASCII.GetBytes("P5\n12 12\n255\n"), .. image.Pixels]);
            }
        }
        if (withBadFiles)
        {
            File.WriteAllBytes(Path.Combine(root, "left", "zero.png"), []);
            File.WriteAllText(Path.Combine(root, "right", "garbage.jpg"), "this is not a JPEG");
        }
        return root;
    }

    private static EstimatorChain<PixelExtractingTransformer> Preprocess(NetsContext nets, bool skip) =>
        nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(nets.Transforms.LoadImages("Image", skipBadImages: skip))
            .Append(nets.Transforms.ResizeImages("Image", 12, 12))
            .Append(nets.Transforms.ExtractPixels("Features", "Image", new PixelExtractionOptions { Scale = 1f / 255 }, grayscale: true));

    private static Sequential SmallNet() => new(
        new Conv2D(4, kernelSize: 3, activation: Activation.ReLU), new MaxPool2D(2), new Flatten(), new Dense(2));

    [TestMethod]
    public void BadFilesFailWithTheirNameOrAreSkippedAndCounted()
    {
        var nets = new NetsContext(0);
        string root = ClassFolders(10, withBadFiles: true);
        var data = nets.Data.LoadImagesFromDirectory(root);
        Assert.AreEqual(22L, data.GetRowCount());
        var strict = Preprocess(nets, skip: false).Fit(data);
        var e = Assert.ThrowsException<InvalidDataException>(() => strict.Transform(data).GetColumn<float>("Features"));
        Assert.IsTrue(e.Message.Contains("garbage.jpg") || e.Message.Contains("zero.png"), e.Message);

        var lenient = Preprocess(nets, skip: true);
        var trainer = nets.MulticlassClassification.Trainers.Cnn(new CnnOptions { Network = SmallNet(), Epochs = 1, ValidationFraction = 0, Seed = 1 });
        var model = lenient.Append(trainer).Fit(data);
        Assert.AreEqual(2, trainer.SkippedRows, "the two bad files are skipped by the trainer");
        Assert.AreEqual(2, ((ImageLoadingTransformer)model[1]).SkippedImageCount);
    }

    [TestMethod]
    public void StreamedTrainingLearnsLikeInMemoryAndTheModelSaves()
    {
        string root = ClassFolders(60, withBadFiles: false);
        double Accuracy(long budget, out IDataView scored, out ITransformer model, out int epochsReported)
        {
            var nets = new NetsContext(4);
            var data = nets.Data.LoadImagesFromDirectory(root);
            int reported = 0;
            var trainer = nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
            {
                Network = SmallNet(), Epochs = 6, BatchSize = 8, ValidationFraction = 0.2, Seed = 2, MemoryBudgetBytes = budget, ShuffleWindow = 16,
                Optimizer = new MLNet.Nets.Optimizers.Adam(0.01f), MetricsCallback = _ => reported++,
            });
            model = Preprocess(nets, skip: false).Append(trainer).Fit(data);
            scored = model.Transform(data);
            var predicted = scored.GetColumn<uint>("PredictedLabel");
            var truth = scored.GetColumn<uint>("Label");
            epochsReported = reported;
            return predicted.Zip(truth, (p, t) => p == t ? 1.0 : 0.0).Average();
        }
        double inMemory = Accuracy(long.MaxValue, out _, out _, out int e1);
        double streamed = Accuracy(0, out var scoredStream, out var streamedModel, out int e2);
        Assert.AreEqual(6, e1);
        Assert.AreEqual(6, e2);
        Assert.IsTrue(inMemory > 0.9, $"in memory {inMemory}");
        Assert.IsTrue(streamed > 0.9, $"streamed {streamed}");

        var nets2 = new NetsContext(0);
        string path = Path.Combine(Path.GetTempPath(), $"cnn-{Guid.NewGuid():N}.zip");
        var data2 = nets2.Data.LoadImagesFromDirectory(root);
        nets2.Model.Save(streamedModel, data2.Schema, path);
        var loaded = nets2.Model.Load(path, out _);
        CollectionAssert.AreEqual(scoredStream.GetColumn<float>("Score"), loaded.Transform(data2).GetColumn<float>("Score"));
    }

    [TestMethod]
    public void AugmentationChangesTrainingDataOnlyAndIsSeeded()
    {
        var nets = new NetsContext(0);
        string root = ClassFolders(4, withBadFiles: false);
        var data = nets.Transforms.LoadImages("Image").Fit(nets.Data.LoadImagesFromDirectory(root)).Transform(nets.Data.LoadImagesFromDirectory(root));
        var augment = new ImageAugmentingTransformer("Image", new AugmentationOptions { HorizontalFlipProbability = 1 }, seed: 5);
        var original = data.GetColumn<Image>("Image");
        CollectionAssert.AreEqual(original[0]!.Pixels, augment.Transform(data).GetColumn<Image>("Image")[0]!.Pixels, "inference passes images through");
        var flipped = augment.TransformForTraining(data).GetColumn<Image>("Image");
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 12; x++)
                Assert.AreEqual(original[0]!.Pixels[y * 12 + x], flipped[0]!.Pixels[y * 12 + 11 - x]);

        var jitter = new AugmentationOptions { Brightness = 0.4, Contrast = 0.4 };
        var a = new ImageAugmentingTransformer("Image", jitter, seed: 9).TransformForTraining(data).GetColumn<Image>("Image");
        var sameSeed = new ImageAugmentingTransformer("Image", jitter, seed: 9);
        var b = sameSeed.TransformForTraining(data).GetColumn<Image>("Image");
        var secondPass = sameSeed.TransformForTraining(data).GetColumn<Image>("Image");
        CollectionAssert.AreEqual(a[1]!.Pixels, b[1]!.Pixels, "same seed, same first pass");
        CollectionAssert.AreNotEqual(b[1]!.Pixels, secondPass[1]!.Pixels, "a new pass draws new augmentations");

        // In a chain, the steps after the augmentation are fitted on augmented images.
        var recorder = new Recorder();
        nets.Transforms.AugmentImages("Image", new AugmentationOptions { HorizontalFlipProbability = 1 }, seed: 1).Append(recorder).Fit(data);
        CollectionAssert.AreEqual(flipped[0]!.Pixels, recorder.Seen!.Pixels);
    }

    private sealed class Recorder : IEstimator<ColumnCopyingTransformer>
    {
        public Image? Seen { get; private set; }

        public ColumnCopyingTransformer Fit(IDataView input)
        {
            Seen = input.GetColumn<Image>("Image")[0];
            return new ColumnCopyingTransformer(("Copy", "Image"));
        }
    }
    [TestMethod]
    public void PixelVectorsOfAnotherSizeAreResizedAsTheImageResizerDoes()
    {
        var nets = new NetsContext(0);
        string dir = DataDirectory.Find("mnist");
        var digits = new FilteredDataView(nets.Data.LoadFromIdx(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz")), r => r < 8, 8).Cache();
        var column = digits.Schema["Features"];
        var batch = digits.GetBatches([column.Index]).Single();
        var pixels = batch.GetValues<float>(column.Index);
        foreach (int size in new[] { 32, 20 })
        {
            var input = new NetworkInput(MLNet.Nets.Vision.Zoo.ZooPreprocessing.For(MLNet.Nets.Vision.Zoo.NormalizationStyle.ZeroToOne, 1, size, size));
            input.Check(column);
            var x = input.Read(batch, column, skipBadImages: false, out var valid).Span.ToArray();
            Assert.IsTrue(valid.All(v => v));
            for (int r = 0; r < 8; r++)
            {
                var image = new Image(28, 28, ColorMode.Gray, pixels[(r * 784)..((r + 1) * 784)].Select(p => (byte)Math.Round(p * 255)).ToArray());
                var expected = ImageResizer.Resize(image, size, size).Pixels;
                // The resizer rounds to 8 bits after each of its two passes; the float resampler does not.
                for (int i = 0; i < size * size; i++) Assert.AreEqual(expected[i] / 255f, x[r * size * size + i], 1.01f / 255, $"digit {r}, size {size}, pixel {i}");
            }
        }
        Assert.ThrowsException<ArgumentException>(() => new NetworkInput(MLNet.Nets.Vision.Zoo.ZooPreprocessing.For(MLNet.Nets.Vision.Zoo.NormalizationStyle.ZeroToOne, 3, 32, 32)).Check(column),
            "another channel count is not resized");
    }
}
