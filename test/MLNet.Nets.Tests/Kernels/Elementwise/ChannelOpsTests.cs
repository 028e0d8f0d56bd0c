using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

/// <summary>PReLU, channel scale and dropout: the per-channel and masked element-wise kernels.</summary>
[TestClass]
public class ChannelOpsTests
{
    private static readonly (int N, int C, int S)[] Shapes = [(1, 1, 1), (3, 5, 17), (2, 3, 33), (4, 7, 1)];

    private static double[] PReLURef(double[] x, double[] a, int n, int c, int s)
    {
        var y = new double[x.Length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < s; j++)
                {
                    int at = (i * c + ch) * s + j;
                    y[at] = x[at] > 0 ? x[at] : a[a.Length == 1 ? 0 : ch] * x[at];
                }
        return y;
    }

    private static double[] ScaleRef(double[] x, double[] scale, int n, int c, int s)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * scale[i / s];
        return y;
    }

    [TestMethod]
    public void PReLUForwardAndBackwardPerChannelAndShared()
    {
        var random = new Random(31);
        foreach (var (n, c, s) in Shapes)
        {
            foreach (bool shared in new[] { false, true })
            {
                var x = Numerics.RandomArray(random, n * c * s, 2f);
                var a = Numerics.RandomArray(random, shared ? 1 : c, 0.5f);
                var y = new float[x.Length];
                ParametricReLU.Forward(x, a, y, n, c, s);
                var xd = Numerics.ToDouble(x);
                var ad = Numerics.ToDouble(a);
                Numerics.AssertClose(PReLURef(xd, ad, n, c, s), y, 1e-6, 1e-7, "y");
                var r = Numerics.RandomArray(random, x.Length);
                var rd = Numerics.ToDouble(r);
                var dx = new float[x.Length];
                var da = new float[a.Length];
                ParametricReLU.Backward(x, a, r, dx, da, n, c, s);
                string what = $"[{n},{c},{s}] shared={shared}";
                GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(PReLURef(v, ad, n, c, s), rd), xd, 1e-6), what: $"dx {what}");
                GradientCheck.AssertClose(da, GradientCheck.Numerical(v => GradientCheck.Dot(PReLURef(xd, v, n, c, s), rd), ad), what: $"dslope {what}");
            }
        }
    }

    [TestMethod]
    public void ChannelScaleForwardAndBackward()
    {
        var random = new Random(32);
        foreach (var (n, c, s) in Shapes)
        {
            var x = Numerics.RandomArray(random, n * c * s);
            var scale = Numerics.RandomArray(random, n * c);
            var y = new float[x.Length];
            ChannelScale.Forward(x, scale, y, n, c, s);
            var xd = Numerics.ToDouble(x);
            var sd = Numerics.ToDouble(scale);
            Numerics.AssertClose(ScaleRef(xd, sd, n, c, s), y, 1e-6, 1e-7, "y");
            var r = Numerics.RandomArray(random, x.Length);
            var rd = Numerics.ToDouble(r);
            var dx = new float[x.Length];
            var ds = new float[scale.Length];
            ChannelScale.Backward(x, scale, r, dx, ds, n, c, s);
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(ScaleRef(v, sd, n, c, s), rd), xd), what: "dx");
            GradientCheck.AssertClose(ds, GradientCheck.Numerical(v => GradientCheck.Dot(ScaleRef(xd, v, n, c, s), rd), sd), what: "dscale");
            // dx may overwrite dy; dScale is computed first.
            var ds2 = new float[scale.Length];
            ChannelScale.Backward(x, scale, r, r, ds2, n, c, s);
            CollectionAssert.AreEqual(ds, ds2);
            CollectionAssert.AreEqual(dx, r);
        }
    }

    [TestMethod]
    public void DropoutIsSeededInvertedAndBackpropagatesThroughTheMask()
    {
        const int length = 20001;
        const float rate = 0.3f;
        var x = Numerics.RandomArray(new Random(1), length);
        var y = new float[length];
        var mask = new float[length];
        InvertedDropout.Forward(x, y, mask, rate, new Random(5));
        int dropped = mask.Count(m => m == 0);
        Assert.AreEqual(rate, dropped / (double)length, 0.015, "drop fraction");
        Assert.IsTrue(mask.All(m => m == 0 || Math.Abs(m - 1 / (1 - rate)) < 1e-6));
        for (int i = 0; i < length; i++) Assert.AreEqual(x[i] * mask[i], y[i]);
        var mask2 = new float[length];
        InvertedDropout.Forward(x, new float[length], mask2, rate, new Random(5));
        CollectionAssert.AreEqual(mask, mask2, "same seed, same mask");
        // Backward is linear in dy with the mask as its diagonal: check against finite differences on a small slice.
        var dy = Numerics.RandomArray(new Random(2), 33);
        var dx = new float[33];
        InvertedDropout.Backward(dy, mask.AsSpan(0, 33), dx);
        var m = Numerics.ToDouble(mask.AsSpan(0, 33));
        var numeric = GradientCheck.Numerical(v => GradientCheck.Dot(v.Select((e, i) => e * m[i]).ToArray(), Numerics.ToDouble(dy)), Numerics.ToDouble(x.AsSpan(0, 33)));
        GradientCheck.AssertClose(dx, numeric);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => InvertedDropout.Forward(x, y, mask, 1f, new Random(1)));
    }
}
