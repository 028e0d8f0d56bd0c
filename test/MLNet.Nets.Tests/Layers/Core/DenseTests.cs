using MLNet.Nets.Initializers;
using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Kernels.Elementwise;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Layers.Core;

[TestClass]
public class DenseTests
{
    private static Dense Built(int inputs, int units, Activation activation, bool useBias = true, int seed = 1)
    {
        var dense = new Dense(units, activation, useBias, "fc");
        dense.Build([new[] { inputs }], new Random(seed));
        if (useBias) Numerics.RandomArray(new Random(seed + 1), units, 0.5f).CopyTo(dense.Bias!.Value.Span);
        return dense;
    }

    /// <summary>f(x·Wᵀ + b) in double.</summary>
    private static double[] Reference(double[] x, double[] w, double[]? b, int n, int inputs, int units, Activation activation)
    {
        var y = new double[n * units];
        for (int r = 0; r < n; r++)
        {
            for (int u = 0; u < units; u++)
            {
                double s = b?[u] ?? 0;
                for (int i = 0; i < inputs; i++) s += x[r * inputs + i] * w[u * inputs + i];
                y[r * units + u] = s;
            }
            if (activation == Activation.Softmax)
            {
                double max = y.Skip(r * units).Take(units).Max();
                double sum = 0;
                for (int u = 0; u < units; u++) sum += Math.Exp(y[r * units + u] - max);
                for (int u = 0; u < units; u++) y[r * units + u] = Math.Exp(y[r * units + u] - max) / sum;
            }
            else
            {
                for (int u = 0; u < units; u++) y[r * units + u] = ActivationsTests.Reference(activation, y[r * units + u]);
            }
        }
        return y;
    }

    private static readonly Activation[] Tested =
    [
        Activation.Linear, Activation.Tanh, Activation.Sigmoid, Activation.ReLU, Activation.ELU, Activation.Swish, Activation.Softmax,
    ];

    [TestMethod]
    public void ForwardMatchesDoubleReference()
    {
        foreach (var activation in Tested)
        {
            foreach (var (n, inputs, units) in new[] { (1, 1, 1), (3, 17, 5), (4, 33, 3) })
            {
                var dense = Built(inputs, units, activation);
                var x = new Tensor(Numerics.RandomArray(new Random(9), n * inputs), n, inputs);
                var y = dense.Forward(x, training: false);
                CollectionAssert.AreEqual(new[] { n, units }, y.Shape.ToArray());
                var expected = Reference(Numerics.ToDouble(x.Span), Numerics.ToDouble(dense.Weight.Value.Span),
                    Numerics.ToDouble(dense.Bias!.Value.Span), n, inputs, units, activation);
                Numerics.AssertClose(expected, y.Span, 1e-4, 1e-5, $"{activation} {n}x{inputs}->{units}");
            }
        }
    }

    [TestMethod]
    public void BackwardMatchesCentralDifferences()
    {
        foreach (var activation in Tested)
        {
            foreach (bool useBias in new[] { true, false })
            {
                const int n = 3, inputs = 17, units = 5;
                var random = new Random(11);
                var dense = Built(inputs, units, activation, useBias);
                var x = new Tensor(Numerics.RandomArray(random, n * inputs), n, inputs);
                var r = Numerics.RandomArray(random, n * units);
                dense.Forward(x, training: true);
                var dx = dense.Backward(new Tensor(r, n, units))!;
                var xd = Numerics.ToDouble(x.Span);
                var wd = Numerics.ToDouble(dense.Weight.Value.Span);
                var bd = useBias ? Numerics.ToDouble(dense.Bias!.Value.Span) : null;
                var rd = Numerics.ToDouble(r);
                string what = $"{activation} bias={useBias}";
                GradientCheck.AssertClose(dx.Span, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(v, wd, bd, n, inputs, units, activation), rd), xd), what: $"dx {what}");
                GradientCheck.AssertClose(dense.Weight.Gradient.Span, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(xd, v, bd, n, inputs, units, activation), rd), wd), what: $"dW {what}");
                if (useBias)
                {
                    GradientCheck.AssertClose(dense.Bias!.Gradient.Span, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(xd, wd, v, n, inputs, units, activation), rd), bd!), what: $"db {what}");
                }
                else
                {
                    Assert.IsNull(dense.Bias);
                    Assert.AreEqual(1, dense.Parameters.Count);
                }
            }
        }
    }

    [TestMethod]
    public void FrozenLayerLeavesGradientsAndSkipsInputGradientWhenNotNeeded()
    {
        var dense = Built(4, 3, Activation.ReLU);
        dense.Trainable = false;
        dense.NeedsInputGradient = false;
        dense.Weight.Gradient.Fill(42f);
        var x = new Tensor(Numerics.RandomArray(new Random(1), 8), 2, 4);
        dense.Forward(x, true);
        Assert.IsNull(dense.Backward(Tensor.Full(1f, 2, 3)));
        Assert.IsTrue(dense.Weight.Gradient.Span.ToArray().All(v => v == 42f));
    }

    [TestMethod]
    public void DefaultInitIsGlorotUniformAndParameterCountMatchesKeras()
    {
        var dense = new Dense(84, Activation.ReLU);
        dense.Build([new[] { 120 }], new Random(1));
        Assert.AreEqual(120 * 84 + 84, dense.ParameterCount);
        CollectionAssert.AreEqual(new[] { "weight", "bias" }, dense.Parameters.Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 84, 120 }, dense.Weight.Value.Shape.ToArray());
        double limit = Math.Sqrt(6.0 / (120 + 84));
        Assert.IsTrue(dense.Weight.Value.Span.ToArray().All(v => Math.Abs(v) <= limit));
        Assert.IsTrue(dense.Bias!.Value.Span.ToArray().All(v => v == 0));
        var custom = new Dense(3, kernelInitializer: Initializer.Ones);
        custom.Build([new[] { 2 }], new Random(1));
        Assert.IsTrue(custom.Weight.Value.Span.ToArray().All(v => v == 1));
    }

    [TestMethod]
    public void ImageInputIsRejectedWithAHintToFlatten()
    {
        var dense = new Dense(10, name: "head");
        var ex = Assert.ThrowsException<ArgumentException>(() => dense.Build([new[] { 3, 8, 8 }], new Random(1)));
        StringAssert.Contains(ex.Message, "Flatten");
        StringAssert.Contains(ex.Message, "head");
        var built = Built(5, 2, Activation.Linear);
        Assert.ThrowsException<ArgumentException>(() => built.Forward(new Tensor(2, 4), false));
    }

    [TestMethod]
    public void ConfigRoundTrips()
    {
        var dense = new Dense(7, Activation.Tansig, useBias: false, name: "hidden", kernelInitializer: Initializer.HeNormal);
        var copy = Dense.FromConfig(new LayerConfig(System.Text.Json.Nodes.JsonNode.Parse(dense.GetConfig().ToString())!.AsObject()));
        Assert.AreEqual((7, Activation.Tanh, false, "hidden"), (copy.Units, copy.Activation, copy.UseBias, copy.Name));
        Assert.AreSame(Initializer.HeNormal, copy.KernelInitializer);
    }

    [TestMethod]
    public void SteadyStateForwardBackwardDoesNotAllocate()
    {
        var dense = Built(16, 8, Activation.Sigmoid);
        var x = new Tensor(Numerics.RandomArray(new Random(2), 4 * 16), 4, 16);
        var dy = Tensor.Full(0.5f, 4, 8);
        dense.Forward(x, true); dense.Backward(dy);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) { dense.Forward(x, true); dense.Backward(dy); }
        Assert.AreEqual(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
