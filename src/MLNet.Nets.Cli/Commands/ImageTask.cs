using System.Diagnostics;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Zoo;
using Spectre.Console;

namespace MLNet.Nets.Cli.Commands;

/// <summary>Image classification for the tool: MNIST IDX folders or class-folder image sets, CNN trainer, evaluation.</summary>
internal static class ImageTask
{
    public sealed record Settings(string? Mnist, string? Data, string Arch, int Epochs, int Batch, int Seed, int? Size, double TestFraction,
        float? LearningRate, string ModelPath, bool Json, string? Weights = null, string FineTune = "head");

    public static int Train(Settings s, CancellationToken cancellationToken)
    {
        if ((s.Mnist is null) == (s.Data is null)) throw new ArgumentException("Give exactly one of --mnist DIR (IDX files) or --data DIR (one sub-folder per class).");
        if (s.Epochs < 1) throw new ArgumentException($"--epochs must be ≥ 1, not {s.Epochs}.");
        if (s.Batch < 1) throw new ArgumentException($"--batch must be ≥ 1, not {s.Batch}.");
        var nets = new NetsContext(s.Seed);
        var architecture = ModelZoo.Parse(s.Arch);
        IDataView train, test;
        IEstimator<ITransformer> input;
        (int C, int H, int W) shape;
        if (s.Mnist is not null)
        {
            (train, test) = (Mnist(nets, s.Mnist, "train"), Mnist(nets, s.Mnist, "t10k"));
            shape = (1, 28, 28);
            input = nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue);
        }
        else
        {
            var all = nets.Data.LoadImagesFromDirectory(s.Data!);
            var split = nets.Data.TrainTestSplit(all, s.TestFraction, stratificationColumnName: "Label", seed: s.Seed);
            (train, test) = (split.TrainSet, split.TestSet);
            var prep = ModelZoo.GetPreprocessing(architecture, s.Size is int size ? new ZooOptions { InputSize = size } : null);
            shape = (prep.Channels, prep.Height, prep.Width);
            input = ImagePreprocessing(nets, prep);
        }
        if (s.Weights is not null) return Transfer(s, nets, architecture, train, test, cancellationToken);
        var options = new CnnOptions
        {
            Network = ModelZoo.Create(architecture, Classes(train), s.Size is int z ? new ZooOptions { InputSize = z, Seed = s.Seed } : new ZooOptions { Seed = s.Seed }),
            ImageShape = shape, Epochs = s.Epochs, BatchSize = s.Batch, Seed = s.Seed, ValidationFraction = 0,
            Optimizer = new Optimizers.Adam(s.LearningRate ?? 1e-3f), CancellationToken = cancellationToken,
        };
        var clock = Stopwatch.StartNew();
        var model = Ui.WithProgress($"Training {ModelZoo.NameOf(architecture)}", report =>
        {
            options.Progress = new Reporter(p => report(p.Fraction, $"epoch {p.Epoch + 1}/{p.Epochs} loss {Ui.F(p.Loss, "F4")}"));
            var pipeline = input.Append(nets.MulticlassClassification.Trainers.Cnn(options))
                .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            return pipeline.Fit(train);
        });
        return Report(s, nets, architecture, model, train, test, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Transfer learning from pretrained weights (--weights), training the head, the last blocks or everything.</summary>
    private static int Transfer(Settings s, NetsContext nets, Architecture architecture, IDataView train, IDataView test, CancellationToken cancellationToken)
    {
        var fineTune = Trainers.FineTune.Parse(s.FineTune);
        bool mnist = s.Mnist is not null;
        var zoo = new ZooOptions { InputSize = mnist ? 28 : s.Size, InputChannels = mnist ? 1 : null };
        var options = new ImageClassificationOptions
        {
            Architecture = architecture, ZooOptions = zoo, Weights = Vision.Weights.PretrainedWeights.FromFile(s.Weights!), FineTune = fineTune,
            FeatureColumnName = mnist ? "Features" : "ImagePath", Epochs = s.Epochs, BatchSize = s.Batch, Seed = s.Seed,
            LearningRate = s.LearningRate ?? (fineTune == Trainers.FineTune.HeadOnly ? 0.01f : 1e-4f), ValidationFraction = 0,
            SkipBadImages = true, CancellationToken = cancellationToken,
        };
        var clock = Stopwatch.StartNew();
        var model = Ui.WithProgress($"Transfer {ModelZoo.NameOf(architecture)} ({fineTune})", report =>
        {
            options.Progress = new Reporter(p => report(p.Fraction, $"epoch {p.Epoch + 1}/{p.Epochs}"));
            return nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
                .Append(nets.MulticlassClassification.Trainers.ImageClassification(options))
                .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
                .Fit(train);
        });
        return Report(s, nets, architecture, model, train, test, clock.Elapsed.TotalSeconds);
    }

    private static int Report(Settings s, NetsContext nets, Architecture architecture, ITransformer model, IDataView train, IDataView test, double seconds)
    {
        var metrics = nets.MulticlassClassification.Evaluate(model.Transform(test), "Label");
        var result = TabularTask.ClassificationResult(metrics, seconds);
        nets.Model.Save(model, train.Schema, s.ModelPath);
        if (s.Json)
        {
            Ui.WriteJson(result.Json);
            return 0;
        }
        Ui.Out.MarkupLine($"Trained {Markup.Escape(ModelZoo.NameOf(architecture))} on {train.CountRows()} images in {Ui.F(seconds, "F1")} s.");
        result.Print(test.CountRows());
        Ui.Out.MarkupLine($"Model written to [bold]{Markup.Escape(s.ModelPath)}[/].");
        return 0;
    }

    /// <summary>Decode, resize (keeping the aspect ratio by a centre crop) and normalize as the architecture expects.</summary>
    public static EstimatorChain<Images.PixelExtractingTransformer> ImagePreprocessing(NetsContext nets, ZooPreprocessing prep) =>
        nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(nets.Transforms.LoadImages("Image", null, "ImagePath", skipBadImages: true))
            .Append(nets.Transforms.ResizeImages("Image", prep.Width, prep.Height, resizing: ResizeMode.CropToAspect))
            .Append(nets.Transforms.ExtractPixels("Features", "Image", new PixelExtractionOptions
            {
                Scale = 1f / 255, Mean = prep.Mean.ToArray(), Std = prep.Std.ToArray(),
            }, grayscale: prep.Channels == 1));

    public static IDataView Mnist(NetsContext nets, string directory, string set) =>
        nets.Data.LoadFromIdx(Datasets.Mnist.FindFile(directory, $"{set}-images-idx3-ubyte"), Datasets.Mnist.FindFile(directory, $"{set}-labels-idx1-ubyte"));

    private static int Classes(IDataView train)
    {
        var labels = train.Schema["Label"];
        int count = labels.Type.Kind switch
        {
            DataKind.String => train.GetColumn<string>("Label").Where(v => v.Length > 0).Distinct().Count(),
            DataKind.Single => train.GetColumn<float>("Label").Where(v => !float.IsNaN(v)).Distinct().Count(),
            _ => throw new InvalidDataException($"The label column holds {labels.Type}."),
        };
        return count >= 2 ? count : throw new InvalidDataException($"The training images have {count} class; at least 2 are needed.");
    }

    /// <summary>Evaluates a CNN model on an MNIST folder (its t10k set) or a class-folder image set.</summary>
    public static TabularTask.Result Evaluate(NetsContext nets, ITransformer model, string data)
    {
        var view = Load(nets, data);
        return TabularTask.ClassificationResult(nets.MulticlassClassification.Evaluate(model.Transform(view), "Label"), null);
    }

    /// <summary>The images of <paramref name="data"/>: the t10k set of an MNIST folder, or every image under a folder.</summary>
    public static IDataView Load(NetsContext nets, string data)
    {
        if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"Image data '{data}' is not a folder.");
        bool mnist = Directory.EnumerateFiles(data, "t10k-images-idx3-ubyte*").Any();
        return mnist ? Mnist(nets, data, "t10k") : nets.Data.LoadImagesFromDirectory(data);
    }

    private sealed class Reporter(Action<Training.TrainingProgress> report) : IProgress<Training.TrainingProgress>
    {
        public void Report(Training.TrainingProgress value)
        {
            if (value.Batch % 20 == 0 || value.Batch + 1 == value.Batches) report(value);
        }
    }
}
