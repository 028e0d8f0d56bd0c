// The MLNet.Nets side of build/bench/zoo.sh: forward images/s at batch 1 and 16 and one SGD training step at batch 16
// for one zoo architecture (random weights, input [N, 3, S, S] from a fixed seed).
// Usage: ZooBench <arch> [threads] [repeats]. Prints one JSON line like the PyTorch peer (zoo_peer.py).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Nets.Kernels;
using MLNet.Nets.Losses;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Zoo;

string name = args.Length > 0 ? args[0] : "mobilenet_v2";
int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
ParallelKernels.DegreeOfParallelism = threads;

var arch = ModelZoo.Parse(name);
var pre = ModelZoo.GetPreprocessing(arch);
var model = ModelZoo.Create(arch);
var random = new Random(0);
var x1 = Tensor.RandomNormal(random, 0, 1, 1, pre.Channels, pre.Height, pre.Width);
var x16 = Tensor.RandomNormal(random, 0, 1, 16, pre.Channels, pre.Height, pre.Width);

// Median of `count` timed runs after a warm-up of at least two runs and one second (the JIT's tiering here, oneDNN's
// primitive creation in PyTorch), exactly as the peer does.
double Median(Action action, int count)
{
    var warm = Stopwatch.StartNew();
    for (int w = 0; w < 2 || warm.Elapsed.TotalSeconds < 1; w++) action();
    var times = new List<double>();
    for (int r = 0; r < count; r++)
    {
        var clock = Stopwatch.StartNew();
        action();
        times.Add(clock.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

// The very first call (JIT compilation, buffer allocation) is reported on its own: what a one-shot caller waits.
var cold = Stopwatch.StartNew();
model.Forward(x1);
double firstCall = cold.Elapsed.TotalSeconds;
double forward1 = Median(() => model.Forward(x1), 10 * repeats);
double forward16 = Median(() => model.Forward(x16), repeats);

var loss = new SparseCategoricalCrossEntropy(fromLogits: true);
var sgd = new Sgd(0.01f, momentum: 0.9f);
var labels = new Tensor(Enumerable.Range(0, 16).Select(i => (float)(i * 37 % 1000)).ToArray(), 16);
Tensor? gradient = null;
double step = Median(() =>
{
    var y = model.Forward(x16, training: true);
    var g = Tensor.Reuse(ref gradient, y.Shape);
    loss.Compute(y, labels, g);
    model.Backward(g);
    sgd.Step(model.Parameters);
}, repeats);

Console.WriteLine(JsonSerializer.Serialize(new
{
    peer = "mlnet-nets",
    arch = name,
    @params = model.ParameterCount,
    first_call_ms = 1000 * firstCall,
    batch1_images_per_second = 1 / forward1,
    batch16_images_per_second = 16 / forward16,
    train_step_seconds = step,
    peak_rss_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
}));
