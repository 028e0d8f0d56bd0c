using System.Diagnostics;
using System.Globalization;
using MLNet.Nets.Datasets;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Training;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Cli;

/// <summary>The <c>nets</c> command-line tool.</summary>
internal static class Program
{
    private const string Usage =
        "usage: nets demo [--data DIR] [--output DIR] [--epochs N] [--seed S]\n" +
        "       nets zoo list\n" +
        "       nets zoo run --arch NAME --weights FILE --input X.npy --output Y.npy [--classes N]\n" +
        "  demo   the main job on the default data: a 13-10-1 BP network (Levenberg–Marquardt) on housing,\n" +
        "         LeNet-5 on MNIST, and the model zoo; prints metrics and writes the models to --output\n" +
        "         (default ./nets-demo-output). Data is found with --data, $MLNET_NETS_DATA or ../shared/data.";

    private static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return args switch
            {
                ["demo", .. var rest] => Demo(ParseOptions(rest, "data", "output", "epochs", "seed"), cancel.Token),
                ["zoo", "list"] => ZooList(),
                ["zoo", "run", .. var rest] => ZooRun(ParseOptions(rest, "arch", "weights", "input", "output", "classes")),
                ["--help" or "-h" or "help"] => PrintUsage(0),
                _ => PrintUsage(2),
            };
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("nets: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException
                                   or TrainingDivergedException or MLNet.Nets.Vision.Weights.UnsafePickleException)
        {
            Console.Error.WriteLine($"nets: {e.Message}");
            return 1;
        }
    }

    private static int PrintUsage(int exitCode)
    {
        (exitCode == 0 ? Console.Out : Console.Error).WriteLine(Usage);
        return exitCode;
    }

    private static Dictionary<string, string> ParseOptions(string[] args, params string[] known)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'.\n{Usage}");
            }
            options[args[i][2..]] = args[++i];
        }
        foreach (var key in options.Keys)
        {
            if (!known.Contains(key)) throw new ArgumentException($"unknown option --{key}.\n{Usage}");
        }
        return options;
    }

    private static int Int(Dictionary<string, string> options, string key, int fallback) =>
        !options.TryGetValue(key, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v
        : throw new ArgumentException($"--{key} must be a non-negative integer, not '{text}'.");

    private static int Demo(Dictionary<string, string> options, CancellationToken cancellationToken)
    {
        string root = DataDirectory.Resolve(options.GetValueOrDefault("data"));
        string output = Path.GetFullPath(options.GetValueOrDefault("output") ?? "nets-demo-output");
        int epochs = Int(options, "epochs", 1);
        int seed = Int(options, "seed", 0);
        Directory.CreateDirectory(output);
        Console.WriteLine($"MLNet.Nets demo — data {root}, output {output}");

        HousingStep(Path.Combine(root, "housing", "housing.txt"), seed, cancellationToken);
        MnistStep(Path.Combine(root, "mnist"), Path.Combine(output, "lenet5-mnist.zip"), epochs, seed, cancellationToken);
        ZooList();
        return 0;
    }

    /// <summary>A 13-10-1 tansig/purelin network trained with Levenberg–Marquardt on an 80/20 split (MATLAB's trainlm).</summary>
    private static void HousingStep(string path, int seed, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine("[1/3] BP regression on Boston housing: 13-10-1 tansig/purelin, Levenberg–Marquardt");
        var table = NumericTable.Load(path, labelColumn: "MedianHomeValue");
        var split = DataDivision.Random(table.Features.Dim(0), trainRatio: 0.8, validationRatio: 0, testRatio: 0.2, seed: 42);
        var xTrain = DataDivision.TakeRows(table.Features, split.TrainIndices);
        var yTrain = DataDivision.TakeRows(table.Labels, split.TrainIndices);
        var xTest = DataDivision.TakeRows(table.Features, split.TestIndices);
        var yTest = DataDivision.TakeRows(table.Labels, split.TestIndices);

        var net = FeedForwardNetwork.Create(table.Features.Dim(1), [10], 1, Activation.Tansig, Activation.Purelin, seed);
        var division = DataDivision.Random(xTrain.Dim(0), trainRatio: 0.85, validationRatio: 0.15, testRatio: 0, seed: seed);
        var clock = Stopwatch.StartNew();
        var result = net.Train(xTrain, yTrain, new LevenbergMarquardt(), division, cancellationToken: cancellationToken);
        clock.Stop();

        var prediction = net.Predict(xTest);
        double sse = 0, sae = 0, mean = 0;
        for (int i = 0; i < yTest.Length; i++) mean += yTest[i];
        mean /= yTest.Length;
        double sst = 0;
        for (int i = 0; i < yTest.Length; i++)
        {
            double e = prediction[i] - yTest[i];
            sse += e * e;
            sae += Math.Abs(e);
            sst += (yTest[i] - mean) * (yTest[i] - mean);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"      {result.StopMessage} {result.Epochs} epochs in {clock.Elapsed.TotalSeconds:F2} s (first call includes JIT)"));
        Console.WriteLine(FormattableString.Invariant(
            $"      test RMSE {Math.Sqrt(sse / yTest.Length):F3}  MAE {sae / yTest.Length:F3}  R² {1 - sse / sst:F3}  ({yTest.Length} rows, $1000s)"));
    }

    /// <summary>LeNet-5 (Keras-style Sequential) on MNIST: train, evaluate, save, reload.</summary>
    private static void MnistStep(string directory, string modelPath, int epochs, int seed, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine($"[2/3] LeNet-5 on MNIST: Adam 1e-3, batch 64, {epochs} epoch(s)");
        var mnist = Mnist.Load(directory);
        var model = new Sequential(
            new Conv2D(6, kernelSize: 5, padding: Padding.Same, activation: Activation.ReLU),
            new MaxPool2D(2),
            new Conv2D(16, kernelSize: 5, activation: Activation.ReLU),
            new MaxPool2D(2),
            new Flatten(),
            new Dense(120, Activation.ReLU),
            new Dense(84, Activation.ReLU),
            new Dense(10)) { Seed = seed };
        model.Build(1, 28, 28);
        model.Compile(new Adam(1e-3f), new SparseCategoricalCrossEntropy(fromLogits: true), "accuracy");
        var clock = Stopwatch.StartNew();
        model.Fit(mnist.TrainImages, mnist.TrainLabels, batchSize: 64, epochs: epochs,
            progress: new BatchPrinter(), cancellationToken: cancellationToken, seed: seed);
        clock.Stop();
        Console.WriteLine();
        var test = model.Evaluate(mnist.TestImages, mnist.TestLabels, batchSize: 500);
        Console.WriteLine(FormattableString.Invariant(
            $"      trained in {clock.Elapsed.TotalSeconds:F1} s; test accuracy {test["accuracy"] * 100:F2} %, loss {test["loss"]:F4}"));

        model.Save(modelPath);
        var reloaded = Model.Load(modelPath);
        reloaded.Compile(new Adam(), new SparseCategoricalCrossEntropy(fromLogits: true), "accuracy");
        float again = reloaded.Evaluate(mnist.TestImages, mnist.TestLabels, batchSize: 500)["accuracy"];
        Console.WriteLine(FormattableString.Invariant($"      saved {modelPath}; reloaded model's test accuracy {again * 100:F2} %"));
    }

    /// <summary>Runs a zoo network on a float32 NCHW .npy batch and writes its logits as .npy.</summary>
    private static int ZooRun(Dictionary<string, string> options)
    {
        string Required(string key) => options.TryGetValue(key, out var v) ? v : throw new ArgumentException($"nets zoo run needs --{key}.\n{Usage}");
        var architecture = ModelZoo.Parse(Required("arch"));
        var model = ModelZoo.Create(architecture, Int(options, "classes", 1000));
        var result = MLNet.Nets.Vision.Weights.PretrainedWeights.FromFile(Required("weights")).LoadInto(model);
        var input = MLNet.Nets.Serialization.Npy.Read(Required("input"));
        var logits = model.Predict(input);
        MLNet.Nets.Serialization.Npy.Write(Required("output"), logits);
        Console.Error.WriteLine($"nets: {ModelZoo.NameOf(architecture)} with {result.Loaded.Count} tensors from {options["weights"]}: " +
            $"input {input.ShapeString} -> logits {logits.ShapeString} written to {options["output"]}");
        return 0;
    }

    private static int ZooList()
    {
        Console.WriteLine();
        Console.WriteLine("[zoo] architectures (torchvision layouts; pretrained .pth/.safetensors/.onnx weights load by name)");
        foreach (var info in ModelZoo.List())
        {
            Console.WriteLine(FormattableString.Invariant(
                $"      {info.Name,-20} {info.ReferenceParameterCount,12:N0} parameters  {info.Preprocessing.Height}×{info.Preprocessing.Width}  {info.Description}"));
        }
        return 0;
    }

    /// <summary>Prints the running loss on one line, every 100 batches.</summary>
    private sealed class BatchPrinter : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Batch % 100 == 0 || value.Batch + 1 == value.Batches)
            {
                Console.Write(FormattableString.Invariant(
                    $"\r      epoch {value.Epoch + 1}/{value.Epochs}  batch {value.Batch + 1,4}/{value.Batches}  loss {value.Loss:F4}  {value.Elapsed.TotalSeconds:F0} s "));
            }
        }
    }
}
