// Times the element-wise kernels (forward + backward) on batch-32 shapes; prints one JSON object of milliseconds
// (best of the repetitions). Usage: ElementwiseBench [repetitions=7]. The peer is build/bench/elementwise.py.
using System.Diagnostics;
using System.Text.Json;
using MLNet.Nets.Kernels;
using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

int repetitions = args.Length > 0 ? int.Parse(args[0]) : 7;
var random = new Random(1);
Tensor Rand(params int[] shape) => Tensor.RandomUniform(random, -4f, 4f, shape);

var x = Rand(32, 32, 56, 56);
var y = new Tensor(x.Shape);
var dy = Rand(32, 32, 56, 56);
var dx = new Tensor(x.Shape);
int c = 32, s = 56 * 56;
float[] gamma = Enumerable.Repeat(1f, c).ToArray(), beta = new float[c], rm = new float[c], rv = Enumerable.Repeat(1f, c).ToArray();
float[] mean = new float[c], invStd = new float[c], dGamma = new float[c], dBeta = new float[c];
var logits = Rand(4096, 1000);
var probs = new Tensor(logits.Shape);
var dLogits = Rand(4096, 1000);
var feature = Rand(32, 64, 28, 28);
var gate = Rand(32, 64, 1, 1);
var gated = new Tensor(feature.Shape);
var dFeature = new Tensor(feature.Shape);
var dGate = new Tensor(gate.Shape);

Action Act(Activation a) => () =>
{
    Activations.Forward(a, x.Span, y.Span);
    Activations.Backward(a, x.Span, y.Span, dy.Span, dx.Span);
};
var cases = new (string Name, Action Run)[]
{
    ("relu", Act(Activation.ReLU)),
    ("sigmoid", Act(Activation.Sigmoid)),
    ("tanh", Act(Activation.Tanh)),
    ("elu", Act(Activation.ELU)),
    ("hardswish", Act(Activation.HardSwish)),
    ("swish", Act(Activation.Swish)),
    ("batchnorm_train", () =>
    {
        BatchNorm.ForwardTraining(x.Span, y.Span, 32, c, s, gamma, beta, 1e-5f, 0.1f, rm, rv, mean, invStd);
        BatchNorm.BackwardTraining(x.Span, dy.Span, dx.Span, 32, c, s, gamma, mean, invStd, dGamma, dBeta);
    }),
    ("softmax", () =>
    {
        Softmax.Forward(logits.Span, probs.Span, 4096, 1000);
        Softmax.Backward(probs.Span, dLogits.Span, dLogits.Span, 4096, 1000);
    }),
    ("se_gate_multiply", () =>
    {
        Broadcast.Forward(BinaryOperation.Multiply, feature, gate, gated);
        Broadcast.Backward(BinaryOperation.Multiply, feature, gate, gated, dFeature, dGate);
    }),
};
var best = new Dictionary<string, double>();
foreach (var (name, run) in cases) { run(); run(); best[name] = double.MaxValue; }
for (int r = 0; r < repetitions; r++)
{
    foreach (var (name, run) in cases)
    {
        var sw = Stopwatch.StartNew();
        run();
        best[name] = Math.Min(best[name], sw.Elapsed.TotalMilliseconds);
    }
}
Console.WriteLine(JsonSerializer.Serialize(best));
