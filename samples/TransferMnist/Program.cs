// Real transfer, measured honestly (issue "Model zoo and transfer learning", item 7):
// pretrain a MobileNetV2 on MNIST digits 0–4, then learn digits 5–9 from 50 labelled images per class, and compare with
// training the same network from scratch on the same 250 images. Test: every test image of digits 5–9.
//
//   dotnet run --project samples/TransferMnist -c Release [-- path/to/mnist [pretrainEpochs [seed]]]
using System.Diagnostics;
using MLNet.Nets;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Serialization;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

string directory = args.Length > 0 ? args[0] : DataDirectory.Find("mnist");
int pretrainEpochs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
int seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
var nets = new NetsContext(seed);
var zoo = new ZooOptions { WidthMultiplier = 0.5, InputSize = 32, InputChannels = 1, Seed = seed };
// MobileNetV2 downsamples 32×: the digits are padded to 32×32 (as in the original LeNet input).
var train = Pad(nets.Data.LoadFromIdx(Mnist.FindFile(directory, "train-images-idx3-ubyte"), Mnist.FindFile(directory, "train-labels-idx1-ubyte")).Cache());
var test = Pad(nets.Data.LoadFromIdx(Mnist.FindFile(directory, "t10k-images-idx3-ubyte"), Mnist.FindFile(directory, "t10k-labels-idx1-ubyte")).Cache());

static InMemoryDataView Pad(InMemoryDataView view)
{
    var pixels = (float[])view.GetColumnArray(1);
    var padded = new float[view.RowCount * 32 * 32];
    for (int r = 0; r < view.RowCount; r++)
        for (int y = 0; y < 28; y++)
            Array.Copy(pixels, r * 784 + y * 28, padded, r * 1024 + (y + 2) * 32 + 2, 28);
    var schema = new DataViewSchema([("Label", NumberDataViewType.Single, null), ("Features", new VectorDataViewType(NumberDataViewType.Single, 1, 32, 32), null)]);
    return new InMemoryDataView(schema, [view.GetColumnArray(0), padded], view.RowCount);
}

IDataView Rows(InMemoryDataView view, Func<float, bool> digit, int perClass = int.MaxValue)
{
    var labels = (float[])view.GetColumnArray(0);
    var taken = new Dictionary<float, int>();
    var order = Enumerable.Range(0, view.RowCount).ToArray();
    new Random(seed).Shuffle(order);
    var keep = new bool[view.RowCount];
    foreach (int i in order)
    {
        if (!digit(labels[i]) || taken.GetValueOrDefault(labels[i]) >= perClass) continue;
        taken[labels[i]] = taken.GetValueOrDefault(labels[i]) + 1;
        keep[i] = true;
    }
    return new FilteredDataView(view, r => keep[r], keep.Count(k => k)).Cache();
}

double Accuracy(ITransformer model, IDataView data)
{
    var scored = model.Transform(data);
    return nets.MulticlassClassification.Evaluate(scored, "Label").MicroAccuracy;
}

// 1. Pretrain on digits 0–4 (all ~30,600 training images).
var clock = Stopwatch.StartNew();
var lowDigits = Rows(train, d => d < 5);
var pretrained = ModelZoo.Create(Architecture.MobileNetV2, 5, zoo);
var pretraining = nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
    .Append(nets.MulticlassClassification.Trainers.Cnn(new CnnOptions { Network = pretrained, Epochs = pretrainEpochs, BatchSize = 64, ValidationFraction = 0, Seed = seed }))
    .Fit(lowDigits);
Console.WriteLine($"pretrained MobileNetV2 (α 0.5, 1×32×32) on {lowDigits.CountRows()} images of digits 0–4 in {clock.Elapsed.TotalSeconds:F0} s; " +
    $"test accuracy on digits 0–4: {Accuracy(pretraining, Rows(test, d => d < 5)):P2}");
string weightsPath = Path.Combine(Path.GetTempPath(), $"mobilenet_v2-mnist04-{seed}.safetensors");
SafeTensors.Write(weightsPath, pretrained.StateDict().Select(w => new KeyValuePair<string, MLNet.Nets.Tensors.Tensor>(w.Name, w.Value)));

// 2. The few-shot task: 50 images per digit 5–9; test on every test image of digits 5–9.
var few = Rows(train, d => d >= 5, perClass: 50);
var highTest = Rows(test, d => d >= 5);
Console.WriteLine($"few-shot set: {few.CountRows()} images; test set: {highTest.CountRows()} images of digits 5–9");

var results = new List<(string Name, double Accuracy, double Seconds)>();
void Run(string name, IEstimator<ITransformer> trainer)
{
    var watch = Stopwatch.StartNew();
    var model = nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue).Append(trainer).Fit(few);
    results.Add((name, Accuracy(model, highTest), watch.Elapsed.TotalSeconds));
    Console.WriteLine($"  {name,-44} {results[^1].Accuracy:P2}  ({results[^1].Seconds:F1} s)");
}
ImageClassificationOptions Transfer(FineTune fineTune, int epochs, float learningRate) => new()
{
    Architecture = Architecture.MobileNetV2, ZooOptions = zoo, Weights = PretrainedWeights.FromFile(weightsPath), FineTune = fineTune,
    FeatureColumnName = "Features", Epochs = epochs, BatchSize = 25, LearningRate = learningRate, ValidationFraction = 0, Seed = seed,
    WorkspacePath = Path.Combine(Path.GetTempPath(), "mlnet-nets-transfer-workspace"),
};
Run("transfer, head only (cached bottlenecks)", nets.MulticlassClassification.Trainers.ImageClassification(Transfer(FineTune.HeadOnly, 100, 0.01f)));
Run("transfer, last 3 blocks + head", nets.MulticlassClassification.Trainers.ImageClassification(Transfer(FineTune.LastBlocks(3), 30, 1e-3f)));
Run("transfer, full fine-tuning", nets.MulticlassClassification.Trainers.ImageClassification(Transfer(FineTune.Full, 30, 1e-3f)));
Run("from scratch, same MobileNetV2", nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
{
    Network = ModelZoo.Create(Architecture.MobileNetV2, 5, zoo), Epochs = 30, BatchSize = 25, ValidationFraction = 0, Seed = seed,
}));
Run("from scratch, LeNet-5", nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
{
    Network = ModelZoo.Create(Architecture.LeNet5, 5, new ZooOptions { Seed = seed, InputSize = 32 }), Epochs = 30, BatchSize = 25, ValidationFraction = 0, Seed = seed,
}));
return 0;
