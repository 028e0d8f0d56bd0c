// The MLNet.Nets side of build/bench/lenet.sh: LeNet-5 on MNIST with Adam 1e-3, batch 64, pixels in [0, 1].
// Usage: LeNetBench <mnist folder> [epochs] [seed] [threads]. Prints one JSON line like the PyTorch peer.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Nets.Datasets;
using MLNet.Nets.Kernels;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Callbacks;

string data = args.Length > 0 ? args[0] : DataDirectory.Find("mnist");
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
int threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
ParallelKernels.DegreeOfParallelism = threads;

var mnist = Mnist.Load(data);
var model = new Sequential(
    new Conv2D(6, kernelSize: 5, padding: Padding.Same, activation: Activation.ReLU),
    new MaxPool2D(2),
    new Conv2D(16, kernelSize: 5, activation: Activation.ReLU),
    new MaxPool2D(2),
    new Flatten(),
    new Dense(120, Activation.ReLU),
    new Dense(84, Activation.ReLU),
    new Dense(10)) { Seed = seed };
model.Compile(new Adam(1e-3f), new SparseCategoricalCrossEntropy(fromLogits: true), "accuracy");

var timer = new EpochTimer();
model.Fit(mnist.TrainImages, mnist.TrainLabels, batchSize: 64, epochs: epochs, callbacks: [timer], seed: seed);
var test = model.Evaluate(mnist.TestImages, mnist.TestLabels, batchSize: 1000);
Console.WriteLine(JsonSerializer.Serialize(new
{
    peer = "mlnet-nets",
    seconds_per_epoch = timer.Seconds.Average(),
    epoch_seconds = timer.Seconds,
    test_accuracy = test["accuracy"],
    @params = model.ParameterCount,
}));

/// <summary>Measures the wall time of each training epoch (batches only, as the peer does).</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();
    public List<double> Seconds { get; } = [];
    public override void OnEpochBegin(int epoch) => _clock.Restart();
    public override void OnBatchEnd(int epoch, int batch, float loss) => _last = _clock.Elapsed.TotalSeconds;
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => Seconds.Add(_last);
    private double _last;
}
