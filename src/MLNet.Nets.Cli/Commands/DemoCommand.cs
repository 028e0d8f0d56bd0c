using System.CommandLine;
using System.Diagnostics;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Evaluation;
using MLNet.Nets.Trainers;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets demo</c>: the main job on the default data, through the pipeline API.</summary>
internal static class DemoCommand
{
    public static Command Create(Func<CancellationToken> token)
    {
        var data = new Option<string?>("--data") { Description = "The data folder (default: $MLNET_NETS_DATA, else ../shared/data beside the repository)." };
        var output = new Option<string>("--output") { Description = "Where models go.", DefaultValueFactory = _ => "nets-demo-output" };
        var epochs = new Option<int>("--epochs") { Description = "LeNet-5 epochs on MNIST.", DefaultValueFactory = _ => 1 };
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "The main job on the default data: BP regression on housing (Levenberg–Marquardt), LeNet-5 on MNIST, a CNN on the photos, the model zoo; prints metrics and writes models.")
        {
            data, output, epochs, seed,
        };
        command.SetAction(r => Run(r.GetValue(data), r.GetValue(output)!, r.GetValue(epochs), r.GetValue(seed), token()));
        return command;
    }

    private static int Run(string? data, string outputDirectory, int epochs, int seed, CancellationToken cancellationToken)
    {
        if (epochs < 1) throw new ArgumentException($"--epochs must be ≥ 1, not {epochs}.");
        string root = DataDirectory.Resolve(data);
        string output = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(output);
        Console.WriteLine($"MLNet.Nets demo — data {root}, output {output}");
        Housing(Path.Combine(root, "housing", "housing.txt"), Path.Combine(output, "housing.zip"), seed, cancellationToken);
        Mnist(Path.Combine(root, "mnist"), Path.Combine(output, "lenet5-mnist.zip"), epochs, seed, cancellationToken);
        Photos(Path.Combine(root, "photos"), Path.Combine(output, "photos-small-vgg.zip"), seed, cancellationToken);
        Console.WriteLine();
        Console.WriteLine("[4/4] model zoo (torchvision layouts; pretrained .pth/.safetensors/.onnx weights load by name)");
        ZooCommand.List();
        return 0;
    }

    /// <summary>API tour 1: concatenate, mapminmax, 13-10-1 tansig/purelin with Levenberg–Marquardt, evaluate, save, reload.</summary>
    private static void Housing(string path, string modelPath, int seed, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine("[1/4] BP regression on Boston housing: Concatenate → NormalizeMinMax(-1, 1) → 13-10-1 tansig/purelin, Levenberg–Marquardt");
        var nets = new NetsContext(seed);
        var data = nets.Data.LoadFromTextFile(path);
        var features = data.Schema.Select(c => c.Name).Where(n => n != "MedianHomeValue").ToArray();
        var split = nets.Data.TrainTestSplit(data, testFraction: 0.2, seed: 42);
        var pipeline = nets.Transforms.Concatenate("Features", features)
            .Append(nets.Transforms.NormalizeMinMax("Features", -1, 1))
            .Append(nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
            {
                LabelColumnName = "MedianHomeValue", HiddenLayers = [10], Seed = seed, CancellationToken = cancellationToken,
            }));
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(split.TrainSet);
        var metrics = nets.Regression.Evaluate(model.Transform(split.TestSet), "MedianHomeValue");
        Console.WriteLine(FormattableString.Invariant($"      {model.LastTransformer.Model.Summary} — wall {clock.Elapsed.TotalSeconds:F2} s (first call includes JIT)"));
        Console.WriteLine(FormattableString.Invariant(
            $"      test RMSE {metrics.RootMeanSquaredError:F3}  MAE {metrics.MeanAbsoluteError:F3}  R² {metrics.RSquared:F3}  ({metrics.Count} rows, $1000s)"));
        nets.Model.Save(model, data.Schema, modelPath);
        var reloaded = nets.Model.Load(modelPath, out _);
        var again = nets.Regression.Evaluate(reloaded.Transform(split.TestSet), "MedianHomeValue");
        Console.WriteLine(FormattableString.Invariant($"      saved {modelPath}; reloaded model's test RMSE {again.RootMeanSquaredError:F3}"));
    }

    /// <summary>API tour 2: LeNet-5 through the pipeline (MapValueToKey → Cnn → MapKeyToValue), evaluate, save, reload.</summary>
    private static void Mnist(string directory, string modelPath, int epochs, int seed, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine($"[2/4] LeNet-5 on MNIST through the pipeline: Adam 1e-3, batch 64, {epochs} epoch(s)");
        var nets = new NetsContext(seed);
        var train = ImageTask.Mnist(nets, directory, "train");
        var test = ImageTask.Mnist(nets, directory, "t10k");
        var pipeline = nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Transforms.KeyOrdinality.ByValue)
            .Append(nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
            {
                Architecture = Architecture.LeNet5, Epochs = epochs, BatchSize = 64, ValidationFraction = 0, Seed = seed,
                CancellationToken = cancellationToken, Progress = new BatchPrinter(),
            }))
            .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        Console.WriteLine();
        var metrics = nets.MulticlassClassification.Evaluate(model.Transform(test), "Label");
        Console.WriteLine(FormattableString.Invariant(
            $"      trained in {clock.Elapsed.TotalSeconds:F1} s; test micro accuracy {metrics.MicroAccuracy * 100:F2} %, macro {metrics.MacroAccuracy * 100:F2} %, log-loss {metrics.LogLoss:F4}"));
        nets.Model.Save(model, train.Schema, modelPath);
        var reloaded = nets.Model.Load(modelPath, out _);
        var again = nets.MulticlassClassification.Evaluate(reloaded.Transform(test), "Label");
        Console.WriteLine(FormattableString.Invariant($"      saved {modelPath}; reloaded model's test accuracy {again.MicroAccuracy * 100:F2} %"));
    }

    /// <summary>Class folders → LoadImages → ResizeImages → ExtractPixels → a small VGG from scratch.</summary>
    private static void Photos(string directory, string modelPath, int seed, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine("[3/4] Photos (5 flower classes): LoadImagesFromDirectory → LoadImages → ResizeImages 64×64 → ExtractPixels → small VGG, 8 epochs");
        if (!Directory.Exists(directory))
        {
            Console.WriteLine($"      skipped: {directory} does not exist");
            return;
        }
        var nets = new NetsContext(seed);
        var images = nets.Data.LoadImagesFromDirectory(directory);
        var split = nets.Data.TrainTestSplit(images, 0.2, stratificationColumnName: "Label", seed: seed);
        var prep = ModelZoo.GetPreprocessing(Architecture.SmallVgg, new ZooOptions { InputSize = 64 });
        var pipeline = ImageTask.ImagePreprocessing(nets, prep)
            .AppendCacheCheckpoint()
            .Append(nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
            {
                Network = ModelZoo.Create(Architecture.SmallVgg, 5, new ZooOptions { InputSize = 64, Seed = seed }),
                Epochs = 8, BatchSize = 16, ValidationFraction = 0, Seed = seed, CancellationToken = cancellationToken,
            }))
            .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(split.TrainSet);
        MulticlassClassificationMetrics metrics = nets.MulticlassClassification.Evaluate(model.Transform(split.TestSet), "Label");
        Console.WriteLine(FormattableString.Invariant(
            $"      trained on {split.TrainSet.CountRows()} photos in {clock.Elapsed.TotalSeconds:F1} s; test accuracy {metrics.MicroAccuracy * 100:F1} % ({split.TestSet.CountRows()} photos, chance 20 %)"));
        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
        nets.Model.Save(model, images.Schema, modelPath);
        Console.WriteLine($"      saved {modelPath}");
    }

    /// <summary>Prints the running loss on one line, every 100 batches.</summary>
    private sealed class BatchPrinter : IProgress<Training.TrainingProgress>
    {
        public void Report(Training.TrainingProgress value)
        {
            if (value.Batch % 100 == 0 || value.Batch + 1 == value.Batches)
            {
                Console.Write(FormattableString.Invariant(
                    $"\r      epoch {value.Epoch + 1}/{value.Epochs}  batch {value.Batch + 1,4}/{value.Batches}  loss {value.Loss:F4}  {value.Elapsed.TotalSeconds:F0} s "));
            }
        }
    }
}
