using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Nets.Kernels;
using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Layers.Core;

/// <summary>
/// Cross-checks batch normalization (training with running statistics, inference, gradients), PReLU and the
/// activations against torch.nn.functional, run by /usr/bin/python3 in one process for speed.
/// </summary>
[TestClass]
public class TorchCrossCheckTests
{
    private const string Script = """
import json, sys, torch
import torch.nn.functional as F
torch.set_num_threads(2)
d = json.load(open(sys.argv[1]))
t = lambda k, *shape: torch.tensor(d[k], dtype=torch.float64).reshape(*shape)
out = {}
def grads(name, y, r, *leaves):
    out[name + ".y"] = y.detach().flatten().tolist()
    y.backward(r)
    for i, leaf in enumerate(leaves):
        out[name + ".d" + str(i)] = leaf.grad.flatten().tolist()

for name, shape in (("bn2d", (4, 3, 5, 5)), ("bn1d", (6, 7))):
    c = shape[1]
    x = t(name + ".x", *shape).requires_grad_()
    w = t(name + ".w", c).requires_grad_()
    b = t(name + ".b", c).requires_grad_()
    rm = t(name + ".rm", c); rv = t(name + ".rv", c)
    y = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5)
    grads(name, y, t(name + ".r", *shape), x, w, b)
    out[name + ".rm"] = rm.flatten().tolist(); out[name + ".rv"] = rv.flatten().tolist()
    out[name + ".eval"] = F.batch_norm(x.detach(), rm, rv, w.detach(), b.detach(), training=False, eps=1e-5).flatten().tolist()

x = t("prelu.x", 2, 3, 4, 4).requires_grad_(); w = t("prelu.w", 3).requires_grad_()
grads("prelu", F.prelu(x, w), t("prelu.r", 2, 3, 4, 4), x, w)

acts = {"ELU": lambda v: F.elu(v), "HardSwish": F.hardswish, "HardSigmoid": F.hardsigmoid, "Softplus": F.softplus,
        "Swish": F.silu, "LeakyReLU": lambda v: F.leaky_relu(v, 0.01), "ReLU6": F.relu6, "Sigmoid": torch.sigmoid,
        "Tanh": torch.tanh, "Softmax": lambda v: F.softmax(v, dim=1), "LogSoftmax": lambda v: F.log_softmax(v, dim=1)}
for name, f in acts.items():
    x = t("act.x", 5, 11).requires_grad_()
    grads(name, f(x), t("act.r", 5, 11), x)
print(json.dumps(out))
""";

    private static readonly Dictionary<string, float[]> Inputs = [];

    private static float[] Put(string key, Random random, int length, float scale = 1f, float offset = 0f)
    {
        var v = Numerics.RandomArray(random, length, scale).Select(e => e + offset).ToArray();
        Inputs[key] = v;
        return v;
    }

    private static Dictionary<string, double[]> RunTorch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlnet-elem-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(Inputs));
        try
        {
            var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(Script);
            info.ArgumentList.Add(path);
            info.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) Assert.Fail($"/usr/bin/python3 with torch failed ({process.ExitCode}): {stderr.Result}");
            return JsonSerializer.Deserialize<Dictionary<string, double[]>>(stdout.Trim().Split('\n').Last())!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void BatchNormPReLUAndActivationsMatchPyTorch()
    {
        var random = new Random(91);
        var layers = new Dictionary<string, (BatchNormalization Layer, Tensor X, Tensor R)>();
        foreach (var (name, shape) in new[] { ("bn2d", new[] { 4, 3, 5, 5 }), ("bn1d", new[] { 6, 7 }) })
        {
            int c = shape[1];
            var x = new Tensor(Put(name + ".x", random, shape.Aggregate(1, (p, d) => p * d), 2f, 1f), shape);
            var bn = new BatchNormalization(name: name);
            bn.Build([shape[1..]], new Random(1));
            Put(name + ".w", random, c).CopyTo(bn.Weight.Value.Span);
            Put(name + ".b", random, c).CopyTo(bn.Bias.Value.Span);
            Put(name + ".rm", random, c).CopyTo(bn.RunningMean.Span);
            Put(name + ".rv", random, c, 0.5f, 1f).CopyTo(bn.RunningVar.Span);
            layers[name] = (bn, x, new Tensor(Put(name + ".r", random, x.Length), shape));
        }
        var px = new Tensor(Put("prelu.x", random, 96), 2, 3, 4, 4);
        var prelu = new PReLU();
        prelu.Build([[3, 4, 4]], new Random(1));
        Put("prelu.w", random, 3, 0.5f).CopyTo(prelu.Weight.Value.Span);
        var pr = new Tensor(Put("prelu.r", random, 96), 2, 3, 4, 4);
        var ax = Put("act.x", random, 55, 5f);
        var ar = Put("act.r", random, 55);

        var torch = RunTorch();

        foreach (var (name, (bn, x, r)) in layers)
        {
            var y = bn.Forward(x, training: true);
            Numerics.AssertClose(torch[name + ".y"], y.Span, 1e-4, 1e-5, $"{name} y");
            var dx = bn.Backward(r)!;
            Numerics.AssertClose(torch[name + ".d0"], dx.Span, 1e-3, 1e-5, $"{name} dx");
            Numerics.AssertClose(torch[name + ".d1"], bn.Weight.Gradient.Span, 1e-4, 1e-5, $"{name} dweight");
            Numerics.AssertClose(torch[name + ".d2"], bn.Bias.Gradient.Span, 1e-4, 1e-5, $"{name} dbias");
            Numerics.AssertClose(torch[name + ".rm"], bn.RunningMean.Span, 1e-5, 1e-6, $"{name} running_mean");
            Numerics.AssertClose(torch[name + ".rv"], bn.RunningVar.Span, 1e-5, 1e-6, $"{name} running_var");
            Numerics.AssertClose(torch[name + ".eval"], bn.Forward(x, training: false).Span, 1e-4, 1e-5, $"{name} eval");
        }

        Numerics.AssertClose(torch["prelu.y"], prelu.Forward(px, true).Span, 1e-6, 1e-7, "prelu y");
        Numerics.AssertClose(torch["prelu.d0"], prelu.Backward(pr)!.Span, 1e-6, 1e-7, "prelu dx");
        Numerics.AssertClose(torch["prelu.d1"], prelu.Weight.Gradient.Span, 1e-5, 1e-6, "prelu dweight");

        foreach (string name in new[] { "ELU", "HardSwish", "HardSigmoid", "Softplus", "Swish", "LeakyReLU", "ReLU6", "Sigmoid", "Tanh", "Softmax", "LogSoftmax" })
        {
            var y = new float[55];
            var dx = new float[55];
            if (name == "Softmax") { Softmax.Forward(ax, y, 5, 11); Softmax.Backward(y, ar, dx, 5, 11); }
            else if (name == "LogSoftmax") { LogSoftmax.Forward(ax, y, 5, 11); LogSoftmax.Backward(y, ar, dx, 5, 11); }
            else
            {
                var a = Enum.Parse<Activation>(name);
                Activations.Forward(a, ax, y);
                Activations.Backward(a, ax, y, ar, dx);
            }
            Numerics.AssertClose(torch[name + ".y"], y, 2e-6, 1e-6, $"{name} y");
            Numerics.AssertClose(torch[name + ".d0"], dx, 2e-5, 1e-6, $"{name} dx");
        }
    }
}
