// AutoML for images: search zoo networks for MNIST digits within a time budget, then check the best on the test set.
//
//   dotnet run --project samples/AutoMlImages -c Release [-- path/to/mnist [seconds [trainImages]]]
//
// Pretrained weights, when you have them, join the search per architecture:
//   settings.PretrainedWeights[Architecture.MobileNetV2] = PretrainedWeights.FromFile("mobilenet_v2-b0353104.pth");
using MLNet.Nets;
using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Vision.Zoo;

string directory = args.Length > 0 ? args[0] : DataDirectory.Find("mnist");
double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
int count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000;

var nets = new NetsContext(seed: 0);
IDataView all = nets.Data.LoadFromIdx(Mnist.FindFile(directory, "train-images-idx3-ubyte"), Mnist.FindFile(directory, "train-labels-idx1-ubyte"));
IDataView test = nets.Data.LoadFromIdx(Mnist.FindFile(directory, "t10k-images-idx3-ubyte"), Mnist.FindFile(directory, "t10k-labels-idx1-ubyte"));
// A stratified sample of the training set keeps the example quick; the experiment holds out 20 % of it to rank trials.
IDataView train = nets.Data.TrainTestSplit(all, testFraction: count / 60000.0, stratificationColumnName: "Label", seed: 0).TestSet;

var settings = new ImageClassificationExperimentSettings
{
    MaxExperimentTimeInSeconds = seconds,
    OptimizingMetric = "MicroAccuracy",                       // or MacroAccuracy, LogLoss, LogLossReduction
    Architectures = [Architecture.LeNet5, Architecture.MobileNetV1, Architecture.MobileNetV2, Architecture.SmallVgg],
    ExperimentFolder = "automl-images",                        // trials.csv and progress.svg
    OnTrialCompleted = t => Console.WriteLine($"trial {t.Index,2}: {(t.Succeeded ? t.Metric.ToString("F4") : "failed"),7}  {t.Duration.TotalSeconds,5:F1} s  {t.Settings}{(t.Error is null ? "" : "  " + t.Error)}"),
};
ExperimentResult result = nets.Auto().CreateImageClassificationExperiment(settings)
    .Execute(train, labelColumnName: "Label", imageColumnName: "Features");

Console.WriteLine($"Best of {result.Trials.Count} trials: {result.BestRun!.Settings} (holdout {result.OptimizingMetric} {result.BestRun.Metric:F4})");
var metrics = nets.MulticlassClassification.Evaluate(result.BestModel!.Transform(test), "Label");
Console.WriteLine($"Test set (10,000 digits): MicroAccuracy {metrics.MicroAccuracy:F4}, MacroAccuracy {metrics.MacroAccuracy:F4}");
nets.Model.Save(result.BestModel, train.Schema, "automl-images.zip");
