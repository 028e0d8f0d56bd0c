using MLNet.Nets.Initializers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Initializers;

[TestClass]
public class InitializerTests
{
    private static (double Mean, double Variance, double MaxAbs) Stats(Tensor t)
    {
        double sum = 0, sq = 0, max = 0;
        foreach (float v in t.Span) { sum += v; sq += (double)v * v; max = Math.Max(max, Math.Abs(v)); }
        double mean = sum / t.Length;
        return (mean, sq / t.Length - mean * mean, max);
    }

    [TestMethod]
    public void FansFollowPyTorchLayouts()
    {
        Assert.AreEqual((17, 5), Initializer.ComputeFans([5, 17]));
        Assert.AreEqual((3 * 9, 8 * 9), Initializer.ComputeFans([8, 3, 3, 3]));
        Assert.AreEqual((7, 7), Initializer.ComputeFans([7]));
    }

    [TestMethod]
    public void VarianceScalingFamiliesHaveTheirVarianceAndRange()
    {
        const int fanOut = 300, fanIn = 200;
        var cases = new (Initializer Init, double Variance, double Bound)[]
        {
            (Initializer.GlorotUniform, 2.0 / (fanIn + fanOut), Math.Sqrt(6.0 / (fanIn + fanOut))),
            (Initializer.HeUniform, 2.0 / fanIn, Math.Sqrt(6.0 / fanIn)),
            (Initializer.LeCunUniform, 1.0 / fanIn, Math.Sqrt(3.0 / fanIn)),
            (Initializer.GlorotNormal, 2.0 / (fanIn + fanOut), 2 * Math.Sqrt(2.0 / (fanIn + fanOut)) / 0.87962566103423978),
            (Initializer.HeNormal, 2.0 / fanIn, 2 * Math.Sqrt(2.0 / fanIn) / 0.87962566103423978),
            (Initializer.LeCunNormal, 1.0 / fanIn, 2 * Math.Sqrt(1.0 / fanIn) / 0.87962566103423978),
            (new VarianceScaling(2, FanMode.FanOut, Distribution.Normal), 2.0 / fanOut, double.PositiveInfinity),
            (Initializer.TorchDefault, 1.0 / (3 * fanIn), 1 / Math.Sqrt(fanIn)),
        };
        foreach (var (init, variance, bound) in cases)
        {
            var w = new Tensor(fanOut, fanIn);
            init.Fill(w, new Random(7));
            var (mean, v, max) = Stats(w);
            Assert.AreEqual(0, mean, 0.02 * Math.Sqrt(variance), $"{init} mean");
            Assert.AreEqual(variance, v, 0.03 * variance, $"{init} variance");
            Assert.IsTrue(max <= bound * (1 + 1e-6), $"{init} max {max} > {bound}");
        }
    }

    [TestMethod]
    public void SameSeedSameWeights()
    {
        var a = new Tensor(4, 5);
        var b = new Tensor(4, 5);
        Initializer.HeNormal.Fill(a, new Random(3));
        Initializer.HeNormal.Fill(b, new Random(3));
        CollectionAssert.AreEqual(a.Span.ToArray(), b.Span.ToArray());
        Initializer.HeNormal.Fill(b, new Random(4));
        CollectionAssert.AreNotEqual(a.Span.ToArray(), b.Span.ToArray());
    }

    [TestMethod]
    public void ConstantsAndNamesRoundTrip()
    {
        var t = new Tensor(3);
        Initializer.Constant(0.25f).Fill(t, new Random(1));
        CollectionAssert.AreEqual(new[] { 0.25f, 0.25f, 0.25f }, t.Span.ToArray());
        Initializer.Ones.Fill(t, new Random(1));
        Assert.AreEqual(1f, t[2]);
        foreach (var init in new[] { Initializer.GlorotUniform, Initializer.GlorotNormal, Initializer.HeUniform, Initializer.HeNormal,
                     Initializer.LeCunUniform, Initializer.LeCunNormal, Initializer.TorchDefault, Initializer.Zeros, Initializer.Ones })
        {
            Assert.AreSame(init, Initializer.FromName(init.Name));
        }
        Assert.AreEqual(0.25f, ((ConstantInitializer)Initializer.FromName(Initializer.Constant(0.25f).Name)).Value);
        var vs = (VarianceScaling)Initializer.FromName(new VarianceScaling(0.5f, FanMode.FanOut, Distribution.Normal).Name);
        Assert.AreEqual((0.5f, FanMode.FanOut, Distribution.Normal), (vs.Scale, vs.Mode, vs.Distribution));
        var ex = Assert.ThrowsException<ArgumentException>(() => Initializer.FromName("gloriot"));
        StringAssert.Contains(ex.Message, "gloriot");
    }
}
