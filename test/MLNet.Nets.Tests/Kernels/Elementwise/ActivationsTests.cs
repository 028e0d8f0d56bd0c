using MLNet.Nets.Kernels;
using MLNet.Nets.Layers;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

[TestClass]
public class ActivationsTests
{
    private static readonly Activation[] All =
    [
        Activation.Linear, Activation.ReLU, Activation.ReLU6, Activation.LeakyReLU, Activation.ELU, Activation.Sigmoid,
        Activation.Tanh, Activation.Softplus, Activation.Swish, Activation.HardSigmoid, Activation.HardSwish,
    ];

    private static readonly int[] Sizes = [1, 3, 7, 8, 17, 33, 100];

    /// <summary>Naive double-precision reference with PyTorch's definitions.</summary>
    internal static double Reference(Activation a, double x, double alpha = 0)
    {
        switch (a)
        {
            case Activation.Linear: return x;
            case Activation.ReLU: return Math.Max(x, 0);
            case Activation.ReLU6: return Math.Min(Math.Max(x, 0), 6);
            case Activation.LeakyReLU: return x > 0 ? x : (alpha == 0 ? 0.01 : alpha) * x;
            case Activation.ELU: return x > 0 ? x : (alpha == 0 ? 1 : alpha) * (Math.Exp(x) - 1);
            case Activation.Sigmoid: return 1 / (1 + Math.Exp(-x));
            case Activation.Tanh: return Math.Tanh(x);
            case Activation.Softplus: return Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x)));
            case Activation.Swish: return x / (1 + Math.Exp(-x));
            case Activation.HardSigmoid: return Math.Min(Math.Max(x + 3, 0), 6) / 6;
            case Activation.HardSwish: return x * Math.Min(Math.Max(x + 3, 0), 6) / 6;
            default: throw new ArgumentException(a.ToString());
        }
    }

    private static double Log1P(double t) => t < 1e-4 ? t - t * t / 2 + t * t * t / 3 : Math.Log(1 + t);

    private static float[] Inputs(Random random, int n, float scale)
    {
        var x = Numerics.RandomArray(random, n, scale);
        // Keep finite differences away from the kinks at 0, ±3 and 6.
        for (int i = 0; i < n; i++)
        {
            foreach (float kink in new[] { 0f, 3f, -3f, 6f })
            {
                if (Math.Abs(x[i] - kink) < 1e-2f) x[i] = kink + 0.05f;
            }
        }
        return x;
    }

    [TestMethod]
    public void ForwardMatchesDoubleReferenceOnOddSizes()
    {
        var random = new Random(1);
        foreach (var a in All)
        {
            foreach (int n in Sizes)
            {
                var x = Inputs(random, n, 8f);
                var y = new float[n];
                Activations.Forward(a, x, y);
                var expected = x.Select(v => Reference(a, v)).ToArray();
                Numerics.AssertClose(expected, y, 2e-6, 1e-7, $"{a} n={n}");
            }
        }
    }

    [TestMethod]
    public void ForwardInPlaceEqualsOutOfPlace()
    {
        var random = new Random(2);
        foreach (var a in All)
        {
            var x = Inputs(random, 37, 5f);
            var y = new float[x.Length];
            Activations.Forward(a, x, y, 0.2f);
            Activations.Forward(a, x, x, 0.2f);
            CollectionAssert.AreEqual(y, x, $"{a}");
        }
    }

    [TestMethod]
    public void CustomAlphaIsUsedAndZeroMeansTheDefault()
    {
        float[] x = [-2f, 3f];
        var y = new float[2];
        Activations.Forward(Activation.LeakyReLU, x, y);
        Assert.AreEqual(-0.02f, y[0], 1e-7f);
        Activations.Forward(Activation.LeakyReLU, x, y, 0.2f);
        Assert.AreEqual(-0.4f, y[0], 1e-7f);
        Activations.Forward(Activation.ELU, x, y);
        Assert.AreEqual(Math.Exp(-2) - 1, y[0], 1e-7);
        Activations.Forward(Activation.ELU, x, y, 0.5f);
        Assert.AreEqual(0.5 * (Math.Exp(-2) - 1), y[0], 1e-7);
        Assert.AreEqual(3f, y[1]);
    }

    [TestMethod]
    public void ExtremeInputsGiveFiniteAccurateValues()
    {
        float[] x = [-1000f, -100f, -30f, -1e-6f, 0f, 1e-6f, 30f, 100f, 1000f];
        var y = new float[x.Length];
        foreach (var a in All)
        {
            Activations.Forward(a, x, y);
            for (int i = 0; i < x.Length; i++)
            {
                double r = Reference(a, x[i]);
                Assert.IsTrue(float.IsFinite(y[i]), $"{a}({x[i]}) = {y[i]}");
                Assert.AreEqual(r, y[i], 1e-6 * Math.Max(1, Math.Abs(r)) + 1e-37, $"{a}({x[i]})");
            }
        }
        // Near zero, ELU and softplus keep relative accuracy (expm1/log1p, not exp − 1 / log(1 + exp)).
        float[] tiny = [-1e-5f, -3e-4f, -40f];
        var z = new float[3];
        Activations.Forward(Activation.ELU, tiny, z);
        Assert.AreEqual(Math.Exp(-1e-5) - 1, z[0], 1e-6 * 1e-5);
        Assert.AreEqual(Math.Exp(-3e-4) - 1, z[1], 1e-6 * 3e-4);
        Activations.Forward(Activation.Softplus, tiny, z);
        Assert.AreEqual(Math.Exp(-40.0), z[2], 1e-6 * Math.Exp(-40.0));
    }

    [TestMethod]
    public void BackwardMatchesCentralDifferences()
    {
        var random = new Random(3);
        foreach (var a in All)
        {
            foreach (int n in Sizes)
            {
                foreach (float alpha in new[] { 0f, 0.3f })
                {
                    var x = Inputs(random, n, 7f);
                    var dy = Numerics.RandomArray(random, n);
                    var y = new float[n];
                    var dx = new float[n];
                    Activations.Forward(a, x, y, alpha);
                    Activations.Backward(a, x, y, dy, dx, alpha);
                    var r = Numerics.ToDouble(dy);
                    var numeric = GradientCheck.Numerical(
                        xs => GradientCheck.Dot(xs.Select(v => Reference(a, v, alpha)).ToArray(), r), Numerics.ToDouble(x));
                    GradientCheck.AssertClose(dx, numeric, 1e-4, 1e-5, $"{a} alpha={alpha} n={n}");
                }
            }
        }
    }

    [TestMethod]
    public void BackwardInPlaceOverDyAndFromOutputOnly()
    {
        var random = new Random(4);
        foreach (var a in All)
        {
            var x = Inputs(random, 21, 5f);
            var y = new float[x.Length];
            Activations.Forward(a, x, y);
            var dy = Numerics.RandomArray(random, x.Length);
            var dx = new float[x.Length];
            Activations.Backward(a, x, y, dy, dx);
            if (!Activations.BackwardNeedsInput(a))
            {
                // These read only y: the input may have been overwritten by an in-place forward.
                var dx2 = new float[x.Length];
                Activations.Backward(a, y, y, dy, dx2);
                CollectionAssert.AreEqual(dx, dx2, $"{a} from y");
            }
            Activations.Backward(a, x, y, dy, dy);
            CollectionAssert.AreEqual(dx, dy, $"{a} in place");
        }
    }

    [TestMethod]
    public void SoftmaxIsRejectedWithAPointerToTheKernel()
    {
        var ex = Assert.ThrowsException<ArgumentException>(() => Activations.Forward(Activation.Softmax, new float[3], new float[3]));
        StringAssert.Contains(ex.Message, "Softmax kernel");
        Assert.ThrowsException<ArgumentException>(() => Activations.Forward(Activation.ReLU, new float[3], new float[4]));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => Activations.Forward(Activation.ELU, new float[3], new float[3], -1f));
    }
}
