using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Kernels.Elementwise;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Layers.Normalization;

[TestClass]
public class BatchNormalizationTests
{
    private static BatchNormalization Built(int[] shape, float epsilon = 1e-5f)
    {
        var bn = new BatchNormalization(epsilon, name: "bn");
        bn.Build([shape], new Random(1));
        return bn;
    }

    private static (int C, int S) Split(int[] shape) => (shape[0], shape.Skip(1).Aggregate(1, (p, d) => p * d));

    [TestMethod]
    public void TrainingGradientsMatchFiniteDifferencesOnImagesAndFeatures()
    {
        var random = new Random(71);
        foreach (var shape in new[] { new[] { 3, 4, 5 }, new[] { 7 }, new[] { 2, 17 } })
        {
            var bn = Built(shape, 1e-3f);
            Numerics.RandomArray(random, bn.Weight.Value.Length).CopyTo(bn.Weight.Value.Span);
            Numerics.RandomArray(random, bn.Bias.Value.Length).CopyTo(bn.Bias.Value.Span);
            var x = LayerCheck.RandomInput(random, 3, shape, 2f);
            var (c, s) = Split(shape);
            LayerCheck.Run(bn, [x], (xs, ps) => BatchNormTests.ReferenceTraining(xs[0], ps[0], ps[1], 3, c, s, 1e-3).Y, what: string.Join("x", shape));
        }
    }

    [TestMethod]
    public void RunningStatisticsFollowPyTorchAndInferenceUsesThem()
    {
        var bn = Built([2, 3, 3]);
        CollectionAssert.AreEqual(new[] { "running_mean", "running_var" }, bn.Buffers.Select(b => b.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "weight", "bias" }, bn.Parameters.Select(p => p.Name).ToArray());
        var x = LayerCheck.RandomInput(new Random(2), 4, [2, 3, 3], 3f);
        bn.Forward(x, training: true);
        var (_, mean, variance) = BatchNormTests.ReferenceTraining(Numerics.ToDouble(x.Span), [1, 1], [0, 0], 4, 2, 9, 1e-5);
        const int m = 4 * 9;
        Numerics.AssertClose(mean.Select(v => 0.1 * v).ToArray(), bn.RunningMean.Span, 1e-5, 1e-6, "running_mean");
        Numerics.AssertClose(variance.Select(v => 0.9 + 0.1 * v * m / (m - 1)).ToArray(), bn.RunningVar.Span, 1e-5, 1e-6, "running_var");
        var y = bn.Forward(x, training: false);
        var expected = BatchNormTests.ReferenceInference(Numerics.ToDouble(x.Span), [1, 1], [0, 0],
            Numerics.ToDouble(bn.RunningMean.Span), Numerics.ToDouble(bn.RunningVar.Span), 4, 2, 9, 1e-5);
        Numerics.AssertClose(expected, y.Span, 1e-5, 1e-5, "inference");
    }

    [TestMethod]
    public void FrozenLayerUsesRunningStatisticsWhileTheModelTrains()
    {
        var bn = Built([3]);
        bn.RunningMean.Span[1] = 0.5f;
        bn.RunningVar.Span[2] = 4f;
        bn.Trainable = false;
        var x = LayerCheck.RandomInput(new Random(3), 5, [3]);
        var runningBefore = bn.RunningMean.Span.ToArray();
        var rm = Numerics.ToDouble(bn.RunningMean.Span);
        var rv = Numerics.ToDouble(bn.RunningVar.Span);
        var y = bn.Forward(x, training: true);
        CollectionAssert.AreEqual(runningBefore, bn.RunningMean.Span.ToArray(), "running stats untouched");
        Numerics.AssertClose(BatchNormTests.ReferenceInference(Numerics.ToDouble(x.Span), [1, 1, 1], [0, 0, 0], rm, rv, 5, 3, 1, 1e-5), y.Span, 1e-5, 1e-6);
        bn.Weight.Gradient.Fill(42f);
        var r = Numerics.RandomArray(new Random(4), y.Length);
        var dx = bn.Backward(new Tensor(r, y.Shape))!;
        Assert.IsTrue(bn.Weight.Gradient.Span.ToArray().All(v => v == 42f), "frozen parameters get no gradient");
        var numeric = GradientCheck.Numerical(v => GradientCheck.Dot(BatchNormTests.ReferenceInference(v, [1, 1, 1], [0, 0, 0], rm, rv, 5, 3, 1, 1e-5), Numerics.ToDouble(r)),
            Numerics.ToDouble(x.Span));
        GradientCheck.AssertClose(dx.Span, numeric);
    }

    [TestMethod]
    public void ConfigErrorsAndNoSteadyStateAllocation()
    {
        var copy = BatchNormalization.FromConfig(LayerCheck.RoundTrip(new BatchNormalization(1e-3f, 0.01f, "b")));
        Assert.AreEqual((1e-3f, 0.01f, "b"), (copy.Epsilon, copy.Momentum, copy.Name));
        var bn = Built([4]);
        var ex = Assert.ThrowsException<ArgumentException>(() => bn.Forward(new Tensor(1, 4), training: true));
        StringAssert.Contains(ex.Message, "'bn'");
        bn.Forward(new Tensor(1, 4), training: false); // one sample is fine in inference
        var x = LayerCheck.RandomInput(new Random(5), 4, [3, 6, 6]);
        LayerCheck.AssertNoSteadyStateAllocation(Built([3, 6, 6]), [x]);
        Assert.AreEqual(6, Built([3, 6, 6]).ParameterCount);
    }
}
