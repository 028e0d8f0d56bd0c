using System.Text.Json;
using MLNet.Nets.Layers;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Models;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Optimizers;

/// <summary>
/// Each optimizer runs a few steps from the same initial parameters and per-step gradients as torch.optim, and the
/// final parameters are compared.
/// </summary>
[TestClass]
public class OptimizerTests
{
    private const int Steps = 5;
    private static readonly int[] Sizes = [6, 3];

    private sealed record Case(string Name, Func<Optimizer> Create, string Torch, string Clip = "", float L2 = 0f);

    private static readonly Case[] Cases =
    [
        new("sgd", () => new Sgd(0.1f), "torch.optim.SGD(ps, lr=0.1)"),
        new("sgd_momentum", () => new Sgd(0.05f, momentum: 0.9f, dampening: 0.1f), "torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1)"),
        new("sgd_nesterov", () => new Sgd(0.05f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f), "torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)"),
        new("adam", () => new Adam(0.01f), "torch.optim.Adam(ps, lr=0.01)"),
        new("adam_wd", () => new Adam(0.01f, beta1: 0.8f, beta2: 0.99f, weightDecay: 0.1f), "torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)"),
        new("adamw", () => new AdamW(0.01f, weightDecay: 0.1f), "torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1)"),
        new("rmsprop", () => new RmsProp(0.01f), "torch.optim.RMSprop(ps, lr=0.01)"),
        new("rmsprop_centered_momentum", () => new RmsProp(0.01f, alpha: 0.9f, momentum: 0.5f, centered: true), "torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True)"),
        new("adagrad", () => new Adagrad(0.1f, learningRateDecay: 0.01f, initialAccumulator: 0.1f), "torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)"),
        new("adadelta", () => new Adadelta(1f, rho: 0.9f), "torch.optim.Adadelta(ps, lr=1.0, rho=0.9)"),
        new("sgd_clipnorm", () => new Sgd(0.1f) { ClipNorm = 0.5f }, "torch.optim.SGD(ps, lr=0.1)", Clip: "torch.nn.utils.clip_grad_norm_(ps, 0.5)"),
        new("adam_clipvalue", () => new Adam(0.01f) { ClipValue = 0.3f }, "torch.optim.Adam(ps, lr=0.01)", Clip: "torch.nn.utils.clip_grad_value_(ps, 0.3)"),
        // Parameter.L2 = 0.05 adds 2·0.05·w to the gradient: PyTorch's weight_decay = 0.1.
        new("sgd_l2", () => new Sgd(0.1f), "torch.optim.SGD(ps, lr=0.1, weight_decay=0.1)", L2: 0.05f),
    ];

    private static float[][] _initial = [];
    private static float[][][] _grads = [];
    private static Dictionary<string, float[][]> _expected = [];

    [ClassInitialize]
    public static void RunPyTorch(TestContext context)
    {
        var random = new Random(3);
        _initial = Sizes.Select(s => Numerics.RandomArray(random, s)).ToArray();
        _grads = Enumerable.Range(0, Steps).Select(_ => Sizes.Select(s => Numerics.RandomArray(random, s)).ToArray()).ToArray();
        string input = JsonSerializer.Serialize(new { initial = _initial, grads = _grads, cases = Cases.Select(c => new { c.Name, c.Torch, c.Clip }) });
        const string script = """
import json, sys
d = json.load(sys.stdin)
out = {}
for c in d['cases']:
    ps = [torch.nn.Parameter(torch.tensor(p, dtype=torch.float32)) for p in d['initial']]
    opt = eval(c['Torch'])
    for step in d['grads']:
        for p, g in zip(ps, step):
            p.grad = torch.tensor(g, dtype=torch.float32)
        if c['Clip']:
            eval(c['Clip'])
        opt.step()
    out[c['Name']] = [p.detach().tolist() for p in ps]
print(json.dumps(out))
""";
        _expected = JsonSerializer.Deserialize<Dictionary<string, float[][]>>(PythonPeer.Run(script, input).Trim().Split('\n').Last())!;
    }

    public static IEnumerable<object[]> CaseNames() => Cases.Select(c => new object[] { c.Name });

    [TestMethod]
    [DynamicData(nameof(CaseNames), DynamicDataSourceType.Method)]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        var parameters = _initial.Select((v, i) => new Parameter("p" + i, new Tensor((float[])v.Clone(), v.Length)) { L2 = c.L2 }).ToArray();
        var optimizer = c.Create();
        foreach (var step in _grads)
        {
            for (int i = 0; i < parameters.Length; i++) step[i].CopyTo(parameters[i].Gradient.Span);
            optimizer.Step(parameters);
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            Numerics.AssertClose(_expected[name][i], parameters[i].Value.Span, rtol: 2e-5f, atol: 2e-6f, what: $"{name} p{i}");
        }
        Assert.AreEqual(Steps, optimizer.Iterations);
    }

    [TestMethod]
    public void FrozenParametersAreNotUpdated()
    {
        var frozen = new Parameter("w", Tensor.Full(1f, 3)) { Trainable = false };
        var live = new Parameter("b", Tensor.Full(1f, 3));
        frozen.Gradient.Fill(1f);
        live.Gradient.Fill(1f);
        new Adam(0.1f).Step([frozen, live]);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f }, frozen.Value.Span.ToArray());
        Assert.IsTrue(live.Value[0] < 1f);
    }

    [TestMethod]
    public void L1PenaltyAddsSignOfTheWeight()
    {
        var p = new Parameter("w", new Tensor([2f, -3f, 0f], 3)) { L1 = 0.5f };
        new Sgd(1f).Step([p]);
        CollectionAssert.AreEqual(new[] { 1.5f, -2.5f, 0f }, p.Value.Span.ToArray());
        Assert.AreEqual(0.5 * 3.0, Optimizer.RegularizationPenalty([new Parameter("w", new Tensor([1f, -2f], 2)) { L1 = 0.5f }]), 1e-9);
    }

    [TestMethod]
    public void NesterovWithoutMomentumIsRejected()
    {
        Assert.ThrowsException<ArgumentException>(() => new Sgd(0.1f, nesterov: true));
    }
}
