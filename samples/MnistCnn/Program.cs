// API tour section 2: a Keras-style LeNet-5 trained inside an ML.NET-style pipeline.
//
//   dotnet run --project samples/MnistCnn -c Release [-- path/to/mnist [epochs [seed]]]
//
// MapValueToKey → Cnn (Adam 1e-3, batch 64, all 60,000 training digits) → MapKeyToValue; evaluates on the
// 10,000 test digits, prints the confusion table, saves mnist.zip.
using MLNet.Nets;
using MLNet.Nets.Datasets;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;

string directory = args.Length > 0 ? args[0] : DataDirectory.Find("mnist");
int epochs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
int seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
var nets = new NetsContext(seed);
var train = nets.Data.LoadFromIdx(Path.Combine(directory, "train-images-idx3-ubyte.gz"), Path.Combine(directory, "train-labels-idx1-ubyte.gz"));
var test = nets.Data.LoadFromIdx(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"));

var lenet = new Sequential(
    new Conv2D(6, kernelSize: 5, padding: Padding.Same, activation: Activation.ReLU),
    new MaxPool2D(2),
    new Conv2D(16, kernelSize: 5, activation: Activation.ReLU),
    new MaxPool2D(2),
    new Flatten(),
    new Dense(120, Activation.ReLU), new Dense(84, Activation.ReLU), new Dense(10));

var pipeline = nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
    .Append(nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
    {
        Network = lenet, ImageShape = (1, 28, 28), Epochs = epochs, BatchSize = 64,
        Optimizer = new Adam(learningRate: 1e-3f),
        // The recipe of the LeNet-5 benchmark trains on all 60,000 digits; with a validation split (ValidationFraction) add
        // Callbacks = [new EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)].
        ValidationFraction = 0,
        MetricsCallback = m => Console.WriteLine($"  {m}"),
    }))
    .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

var model = pipeline.Fit(train);
var metrics = nets.MulticlassClassification.Evaluate(model.Transform(test), "Label", topKPredictionCount: 2);
Console.WriteLine($"Test: micro accuracy {metrics.MicroAccuracy:P2}, macro {metrics.MacroAccuracy:P2}, top-2 {metrics.TopKAccuracy:P2}, log-loss {metrics.LogLoss:F4}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
lenet.Summary();
nets.Model.Save(model, train.Schema, "mnist.zip");
Console.WriteLine("Saved mnist.zip");
