using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Kernels.Elementwise;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Layers.Core;

[TestClass]
public class CoreLayerTests
{
    private static T Built<T>(T layer, params int[][] shapes) where T : Layer
    {
        layer.Build(shapes, new Random(3));
        return layer;
    }

    [TestMethod]
    public void ActivationLayerMatchesReferenceAndFiniteDifferences()
    {
        var random = new Random(61);
        foreach (var activation in new[] { Activation.ReLU, Activation.LeakyReLU, Activation.ELU, Activation.Tanh, Activation.Sigmoid,
                     Activation.Softplus, Activation.Swish, Activation.HardSwish, Activation.Softmax, Activation.Linear })
        {
            var layer = Built(new ActivationLayer(activation, activation == Activation.LeakyReLU ? 0.2f : 0f), [3, 5]);
            var x = LayerCheck.RandomInput(random, 2, [3, 5], 2.5f);
            LayerCheck.Run(layer, [x], (xs, _) =>
            {
                if (activation != Activation.Softmax) return xs[0].Select(v => ActivationsTests.Reference(activation, v, activation == Activation.LeakyReLU ? 0.2 : 0)).ToArray();
                var y = new double[xs[0].Length];
                for (int r = 0; r < y.Length / 5; r++)
                {
                    var row = xs[0].Skip(r * 5).Take(5).ToArray();
                    double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
                    for (int j = 0; j < 5; j++) y[r * 5 + j] = Math.Exp(row[j] - max) / sum;
                }
                return y;
            }, what: activation.ToString());
        }
        var config = LayerCheck.RoundTrip(new ActivationLayer(Activation.ELU, 0.5f, "act"));
        var copy = ActivationLayer.FromConfig(config);
        Assert.AreEqual((Activation.ELU, 0.5f, "act", "ActivationLayer"), (copy.Activation, copy.Alpha, copy.Name, copy.TypeName));
    }

    [TestMethod]
    public void PReLUPerChannelAndSharedOnImagesAndFeatures()
    {
        var random = new Random(62);
        foreach (var (shape, perChannel) in new[] { (new[] { 3, 4, 5 }, true), (new[] { 7 }, true), (new[] { 3, 4, 5 }, false) })
        {
            var layer = Built(new PReLU(perChannel), shape);
            Assert.AreEqual(perChannel ? shape[0] : 1, layer.Weight.Value.Length);
            Assert.AreEqual(0.25f, layer.Weight.Value[0]);
            Numerics.RandomArray(random, layer.Weight.Value.Length, 0.5f).CopyTo(layer.Weight.Value.Span);
            var x = LayerCheck.RandomInput(random, 2, shape);
            int c = shape[0], s = shape.Skip(1).Aggregate(1, (p, d) => p * d);
            LayerCheck.Run(layer, [x], (xs, ps) => xs[0].Select((v, i) => v > 0 ? v : ps[0][perChannel ? i / s % c : 0] * v).ToArray(),
                what: $"{string.Join("x", shape)} perChannel={perChannel}");
        }
        var copy = PReLU.FromConfig(LayerCheck.RoundTrip(new PReLU(false, 0.1f, "p")));
        Assert.AreEqual((false, 0.1f), (copy.PerChannel, copy.InitialSlope));
    }

    [TestMethod]
    public void DropoutDropsInTrainingIsIdentityAtInferenceAndIsSeeded()
    {
        var layer = Built(new Dropout(0.25f, seed: 7), [50, 40]);
        var x = LayerCheck.RandomInput(new Random(1), 4, [50, 40]);
        Assert.AreSame(x, layer.Forward(x, training: false));
        var y = layer.Forward(x, training: true);
        int zeros = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (y[i] == 0) zeros++;
            else Assert.AreEqual(x[i] / 0.75f, y[i], 1e-6f);
        }
        Assert.AreEqual(0.25, zeros / (double)x.Length, 0.02);
        // Backward: the same mask, i.e. the derivative of y = x·mask (a linear map, checked by differences).
        var mask = Enumerable.Range(0, x.Length).Select(i => y[i] == 0 ? 0.0 : 1 / 0.75).ToArray();
        var dy = LayerCheck.RandomInput(new Random(2), 4, [50, 40]);
        var dx = layer.Backward(dy)!;
        for (int i = 0; i < x.Length; i++) Assert.AreEqual(dy[i] * mask[i], dx[i], 1e-6);
        var dy64 = Numerics.ToDouble(dy.Span[..64]);
        var numeric = GradientCheck.Numerical(v => GradientCheck.Dot(v.Select((e, i) => e * mask[i]).ToArray(), dy64), Numerics.ToDouble(x.Span[..64]));
        GradientCheck.AssertClose(dx.Span[..64], numeric);
        var again = Built(new Dropout(0.25f, seed: 7), [50, 40]).Forward(x, true);
        CollectionAssert.AreEqual(y.Span.ToArray(), again.Span.ToArray(), "same seed, same mask");
        var copy = Dropout.FromConfig(LayerCheck.RoundTrip(layer));
        Assert.AreEqual((0.25f, (int?)7), (copy.Rate, copy.Seed));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new Dropout(1f));
    }

    [TestMethod]
    public void FlattenAndReshapeAreViewsWithExactGradients()
    {
        var random = new Random(63);
        var flatten = Built(new Flatten(), [3, 4, 5]);
        CollectionAssert.AreEqual(new[] { 60 }, flatten.OutputShape);
        var x = LayerCheck.RandomInput(random, 2, [3, 4, 5]);
        LayerCheck.Run(flatten, [x], (xs, _) => xs[0]);
        var y = flatten.Forward(x, false);
        Assert.AreSame(x.Data, y.Data);
        Assert.AreEqual(x[1, 2, 3, 4], y[1, 2 * 20 + 3 * 5 + 4]);

        var reshape = Built(new Reshape([5, -1]), [3, 4, 5]);
        CollectionAssert.AreEqual(new[] { 5, 12 }, reshape.OutputShape);
        LayerCheck.Run(reshape, [x], (xs, _) => xs[0]);
        CollectionAssert.AreEqual(new[] { 2, 5, 12 }, reshape.Forward(x, false).Shape.ToArray());
        var copy = Reshape.FromConfig(LayerCheck.RoundTrip(reshape));
        CollectionAssert.AreEqual(new[] { 5, -1 }, copy.TargetShape.ToArray());
        var bad = Assert.ThrowsException<ArgumentException>(() => Built(new Reshape([7, -1], "r"), [3, 4, 5]));
        StringAssert.Contains(bad.Message, "'r'");
        Assert.ThrowsException<ArgumentException>(() => new Reshape([-1, -1]));
        LayerCheck.AssertNoSteadyStateAllocation(flatten, [x]);
        LayerCheck.AssertNoSteadyStateAllocation(reshape, [x]);
    }

    [TestMethod]
    public void EmbeddingLooksUpAndScatterAddsGradients()
    {
        var layer = Built(new Embedding(inputDim: 6, outputDim: 3), [4]);
        CollectionAssert.AreEqual(new[] { 4, 3 }, layer.OutputShape);
        Assert.IsTrue(layer.Weight.Value.Span.ToArray().All(v => Math.Abs(v) <= 0.05f));
        Numerics.RandomArray(new Random(2), 18).CopyTo(layer.Weight.Value.Span);
        var x = new Tensor([0f, 5f, 2f, 2f, 3f, 2f, 0f, 1f], 2, 4); // repeated indices accumulate
        layer.NeedsInputGradient = false;
        var y = layer.Forward(x, true);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 3; j++)
                Assert.AreEqual(layer.Weight.Value[(int)x[i], j], y[i / 4, i % 4, j]);
        var r = Numerics.RandomArray(new Random(3), y.Length);
        Assert.IsNull(layer.Backward(new Tensor(r, y.Shape)));
        var numeric = GradientCheck.Numerical(w =>
        {
            double s = 0;
            for (int i = 0; i < 8; i++) for (int j = 0; j < 3; j++) s += w[(int)x[i] * 3 + j] * r[i * 3 + j];
            return s;
        }, Numerics.ToDouble(layer.Weight.Value.Span));
        GradientCheck.AssertClose(layer.Weight.Gradient.Span, numeric);

        var ex = Assert.ThrowsException<ArgumentException>(() => layer.Forward(new Tensor([0f, 1f, 2f, 3f, 4f, 6f, 0f, 0f], 2, 4), false));
        StringAssert.Contains(ex.Message, "sample 1, position 1 holds 6");
        ex = Assert.ThrowsException<ArgumentException>(() => layer.Forward(new Tensor([0f, 1.5f, 2f, 3f, 4f, 5f, 0f, 0f], 2, 4), false));
        StringAssert.Contains(ex.Message, "1.5");
        var copy = Embedding.FromConfig(LayerCheck.RoundTrip(layer));
        Assert.AreEqual((6, 3), (copy.InputDim, copy.OutputDim));
    }

    [TestMethod]
    public void CoreLayersDoNotAllocateInSteadyState()
    {
        var x = LayerCheck.RandomInput(new Random(4), 3, [4, 5]);
        LayerCheck.AssertNoSteadyStateAllocation(Built(new ActivationLayer(Activation.Swish), [4, 5]), [x]);
        LayerCheck.AssertNoSteadyStateAllocation(Built(new PReLU(), [4, 5]), [x]);
        LayerCheck.AssertNoSteadyStateAllocation(Built(new Dropout(0.5f, 1), [4, 5]), [x]);
        LayerCheck.AssertNoSteadyStateAllocation(Built(new Embedding(10, 3), [4, 5]), [new Tensor(3, 4, 5)]);
    }
}
