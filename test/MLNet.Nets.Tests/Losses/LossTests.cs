using System.Text.Json;
using MLNet.Nets.Losses;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Models;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Losses;

[TestClass]
public class LossTests
{
    private const int N = 4, C = 5;

    private static (Tensor Prediction, Tensor Target) Data(Loss loss, int seed)
    {
        var random = new Random(seed);
        var p = new Tensor(Numerics.RandomArray(random, N * C, 2f), N, C);
        Tensor t;
        switch (loss)
        {
            case SparseCategoricalCrossEntropy:
                t = new Tensor(Enumerable.Range(0, N).Select(_ => (float)random.Next(C)).ToArray(), N);
                break;
            case CategoricalCrossEntropy:
                t = new Tensor(N, C);
                for (int i = 0; i < N; i++) t[i, random.Next(C)] = 1f;
                break;
            case BinaryCrossEntropy:
                t = new Tensor(Enumerable.Range(0, N * C).Select(_ => (float)random.Next(2)).ToArray(), N, C);
                break;
            default:
                t = new Tensor(Numerics.RandomArray(random, N * C, 2f), N, C);
                break;
        }
        if (loss is CategoricalCrossEntropy { FromLogits: false } or SparseCategoricalCrossEntropy { FromLogits: false })
        {
            // Probabilities: a softmax of the random values.
            for (int i = 0; i < N; i++)
            {
                double sum = 0;
                for (int j = 0; j < C; j++) sum += Math.Exp(p[i, j]);
                for (int j = 0; j < C; j++) p[i, j] = (float)(Math.Exp(p[i, j]) / sum);
            }
        }
        if (loss is BinaryCrossEntropy { FromLogits: false })
        {
            for (int i = 0; i < p.Length; i++) p[i] = 1f / (1f + MathF.Exp(-p[i]));
        }
        return (p, t);
    }

    public static IEnumerable<object[]> AllLosses() =>
    [
        [new MeanSquaredError()], [new MeanAbsoluteError()], [new Huber(1f)], [new Huber(0.5f)],
        [new CategoricalCrossEntropy(fromLogits: true)], [new CategoricalCrossEntropy(fromLogits: false)],
        [new SparseCategoricalCrossEntropy(fromLogits: true)], [new SparseCategoricalCrossEntropy(fromLogits: false)],
        [new BinaryCrossEntropy(fromLogits: true)], [new BinaryCrossEntropy(fromLogits: false)],
    ];

    [TestMethod]
    [DynamicData(nameof(AllLosses), DynamicDataSourceType.Method)]
    public void GradientMatchesFiniteDifferences(Loss loss)
    {
        var (p, t) = Data(loss, 7);
        float[] weights = [1f, 0.5f, 2f, 1.5f];
        var gradient = new Tensor(p.Shape);
        loss.Compute(p, t, gradient, weights);
        var numeric = GradientCheck.Numerical(x =>
        {
            var probe = new Tensor(x.Select(v => (float)v).ToArray(), N, C);
            return loss.Compute(probe, t, null, weights);
        }, Numerics.ToDouble(p.Span), h: 1e-3);
        GradientCheck.AssertClose(gradient.Span, numeric, rtol: 1e-2, atol: 2e-4, what: loss.Name);
    }

    [TestMethod]
    public void ValuesMatchPyTorch()
    {
        var losses = AllLosses().Select(o => (Loss)o[0]).ToArray();
        var cases = losses.Select((loss, k) =>
        {
            var (p, t) = Data(loss, 100 + k);
            return (loss, p, t, value: loss.Compute(p, t));
        }).ToArray();
        string input = JsonSerializer.Serialize(cases.Select(c => new
        {
            name = c.loss.Name,
            delta = c.loss is Huber h ? h.Delta : 1f,
            p = c.p.Span.ToArray(),
            t = c.t.Span.ToArray(),
        }));
        const string script = """
import json, sys
import torch.nn.functional as F
out = []
for c in json.load(sys.stdin):
    p = torch.tensor(c['p'], dtype=torch.float64).reshape(4, 5)
    t = torch.tensor(c['t'], dtype=torch.float64)
    n = c['name']
    if n == 'mse': v = F.mse_loss(p, t.reshape(4, 5))
    elif n == 'mae': v = F.l1_loss(p, t.reshape(4, 5))
    elif n == 'huber': v = F.huber_loss(p, t.reshape(4, 5), delta=c['delta'])
    elif n == 'categorical_crossentropy': v = F.cross_entropy(p, t.reshape(4, 5))
    elif n == 'categorical_crossentropy_probabilities': v = -(t.reshape(4, 5) * p.clamp(1e-7, 1 - 1e-7).log()).sum(1).mean()
    elif n == 'sparse_categorical_crossentropy': v = F.cross_entropy(p, t.long())
    elif n == 'sparse_categorical_crossentropy_probabilities': v = F.nll_loss(p.clamp(1e-7, 1 - 1e-7).log(), t.long())
    elif n == 'binary_crossentropy': v = F.binary_cross_entropy_with_logits(p, t.reshape(4, 5))
    elif n == 'binary_crossentropy_probabilities': v = F.binary_cross_entropy(p, t.reshape(4, 5))
    out.append(float(v))
print(json.dumps(out))
""";
        var expected = JsonSerializer.Deserialize<double[]>(PythonPeer.Run(script, input).Trim().Split('\n').Last())!;
        for (int i = 0; i < cases.Length; i++)
        {
            Assert.AreEqual(expected[i], cases[i].value, 1e-5 + 1e-5 * Math.Abs(expected[i]), $"{cases[i].loss.Name} (case {i})");
        }
    }

    [TestMethod]
    public void ClassWeightsScaleEachSampleAndTheMeanIsOverTheBatch()
    {
        var loss = new MeanSquaredError();
        var p = new Tensor([1f, 2f], 2, 1);
        var t = new Tensor([0f, 0f], 2, 1);
        Assert.AreEqual((1f + 4f) / 2f, loss.Compute(p, t), 1e-6f);
        var g = new Tensor(2, 1);
        Assert.AreEqual((3f * 1f + 1f * 4f) / 2f, loss.Compute(p, t, g, [3f, 1f]), 1e-6f);
        Assert.AreEqual(3f * 2f * 1f / 2f, g[0], 1e-6f);
    }

    [TestMethod]
    public void SparseLabelOutOfRangeNamesTheSample()
    {
        var loss = new SparseCategoricalCrossEntropy();
        var ex = Assert.ThrowsException<ArgumentException>(() => loss.Compute(new Tensor(2, 3), new Tensor([1f, 3f], 2)));
        StringAssert.Contains(ex.Message, "sample 1");
    }

    [TestMethod]
    public void TargetShapeMismatchNamesBothShapes()
    {
        var ex = Assert.ThrowsException<ArgumentException>(() => new MeanSquaredError().Compute(new Tensor(2, 3), new Tensor(2, 4)));
        StringAssert.Contains(ex.Message, "[2, 4]");
        StringAssert.Contains(ex.Message, "[2, 3]");
    }

    [TestMethod]
    public void FromNameKnowsTheKerasNames()
    {
        Assert.IsInstanceOfType<SparseCategoricalCrossEntropy>(Loss.FromName("sparse_categorical_crossentropy"));
        Assert.IsInstanceOfType<MeanSquaredError>(Loss.FromName("MSE"));
        Assert.ThrowsException<ArgumentException>(() => Loss.FromName("hinge"));
    }
}
