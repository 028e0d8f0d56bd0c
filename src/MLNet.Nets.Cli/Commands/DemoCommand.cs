using System.Diagnostics;
using System.CommandLine;
using MLNet.Nets.Datasets;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Training;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets demo</c>: the main job on the default data.</summary>
internal static class DemoCommand
{
    public static Command Create(Func<CancellationToken> token)
    {
        var data = new Option<string?>("--data") { Description = "The data folder (default: $MLNET_NETS_DATA, else ../shared/data beside the repository)." };
        var output = new Option<string>("--output") { Description = "Where models go.", DefaultValueFactory = _ => "nets-demo-output" };
        var epochs = new Option<int>("--epochs") { Description = "LeNet-5 epochs on MNIST.", DefaultValueFactory = _ => 1 };
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "The main job on the default data: BP regression on housing (Levenberg–Marquardt), LeNet-5 on MNIST, the model zoo; prints metrics and writes models.")
        {
            data, output, epochs, seed,
        };
        command.SetAction(r => Run(r.GetValue(data), r.GetValue(output)!, r.GetValue(epochs), r.GetValue(seed), token()));
        return command;
    }

    private static int Run(string? data, string outputDirectory, int epochs, int seed, CancellationToken cancellationToken)
    {
        if (epochs < 0) throw new ArgumentException($"--epochs must be ≥ 0, not {epochs}.");
        string root = DataDirectory.Resolve(data);
        string output = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(output);
        Console.WriteLine($"MLNet.Nets demo — data {root}, output {output}");

        HousingStep(Path.Combine(root, "housing", "housing.txt"), seed, cancellationToken);
        MnistStep(Path.Combine(root, "mnist"), Path.Combine(output, "lenet5-mnist.zip"), epochs, seed, cancellationToken);
        Console.WriteLine();
        Console.WriteLine("[zoo] architectures (torchvision layouts; pretrained .pth/.safetensors/.onnx weights load by name)");
        ZooCommand.List();
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
