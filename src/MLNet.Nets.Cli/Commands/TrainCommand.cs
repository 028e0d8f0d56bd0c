using System.CommandLine;
using MLNet.Nets.Trainers;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets train regression|classification</c>.</summary>
internal static class TrainCommand
{
    public static Command Create(Func<CancellationToken> token) =>
        new("train", "Train a model on a data file and save it.")
        {
            Tabular("regression", "A BP regression network (label: a numeric column; features: every other column).", classification: false, token),
            Tabular("classification", "A BP classifier (label: any column, two or more classes; features: every other column).", classification: true, token),
            Image(token),
        };

    private static Command Image(Func<CancellationToken> token)
    {
        var mnist = new Option<string?>("--mnist") { Description = "An MNIST folder (train/t10k IDX files, .gz or not); trains on train, tests on t10k." };
        var data = new Option<string?>("--data") { Description = "An image folder with one sub-folder per class (the folder name is the label)." };
        var arch = new Option<string>("--arch") { Description = "The architecture (see nets zoo list), e.g. lenet5, mobilenet_v2.", DefaultValueFactory = _ => "lenet5" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
        var size = new Option<int?>("--size") { Description = "Input size in pixels (default: the architecture's)." };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of a folder's images held out (stratified) for the metrics.", DefaultValueFactory = _ => 0.2 };
        var learningRate = new Option<float?>("--learning-rate") { Description = "Adam's learning rate (default 1e-3 from scratch, 0.01 for a head, 1e-4 when fine-tuning blocks)." };
        var weights = new Option<string?>("--weights") { Description = "Pretrained weights (.pth, .safetensors, .onnx) to transfer from; without it the network trains from scratch." };
        var fineTune = new Option<string>("--fine-tune") { Description = "With --weights: head (cached bottlenecks), last:N (the last N blocks too) or full.", DefaultValueFactory = _ => "head" };
        var seed = CommonOptions.Seed();
        var model = CommonOptions.Model(output: true);
        var json = CommonOptions.Json();
        var command = new Command("image", "A CNN image classifier on MNIST or a class-folder image set.") { mnist, data, arch, epochs, batch, size, testFraction, learningRate, weights, fineTune, seed, model, json };
        command.SetAction(r => ImageTask.Train(new ImageTask.Settings(r.GetValue(mnist), r.GetValue(data), r.GetValue(arch)!, r.GetValue(epochs), r.GetValue(batch),
            r.GetValue(seed), r.GetValue(size), r.GetValue(testFraction), r.GetValue(learningRate), r.GetValue(model)!, r.GetValue(json),
            r.GetValue(weights), r.GetValue(fineTune)!), token()));
        return command;
    }

    private static Command Tabular(string name, string description, bool classification, Func<CancellationToken> token)
    {
        var data = CommonOptions.Data();
        var label = new Option<string>("--label") { Description = "The label column (by header name).", Required = true };
        var separator = CommonOptions.Separator();
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, e.g. 10 or 20,10.", DefaultValueFactory = _ => "10" };
        var algorithm = new Option<string?>("--algorithm") { Description = "lm (Levenberg–Marquardt), gdx (traingdx), adam or sgd; default lm for regression, adam for classification." };
        algorithm.AcceptOnlyFromAmong("lm", "gdx", "adam", "sgd");
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 1000 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of rows held out for the reported metrics.", DefaultValueFactory = _ => 0.2 };
        var seed = CommonOptions.Seed();
        var model = CommonOptions.Model(output: true);
        var json = CommonOptions.Json();
        var predictions = new Option<string?>("--predictions") { Description = "Also write the trained model's predictions for every row of --data to this CSV." };
        var command = new Command(name, description) { data, label, separator, hidden, algorithm, epochs, testFraction, seed, model, json, predictions };
        command.SetAction(r => TabularTask.Train(new TabularTask.TrainSettings(
            r.GetValue(data)!, r.GetValue(label)!, CommonOptions.ParseSeparator(r.GetValue(separator)), CommonOptions.ParseHidden(r.GetValue(hidden)!),
            ParseAlgorithm(r.GetValue(algorithm)), r.GetValue(epochs), r.GetValue(testFraction), r.GetValue(seed), r.GetValue(model)!,
            r.GetValue(json), r.GetValue(predictions)), classification, token()));
        return command;
    }

    private static TrainingAlgorithm? ParseAlgorithm(string? text) => text switch
    {
        null => null,
        "lm" => TrainingAlgorithm.LevenbergMarquardt,
        "gdx" => TrainingAlgorithm.GradientDescentAdaptive,
        "adam" => TrainingAlgorithm.Adam,
        "sgd" => TrainingAlgorithm.Sgd,
        _ => throw new ArgumentException($"--algorithm must be lm, gdx, adam or sgd, not '{text}'."),
    };
}
