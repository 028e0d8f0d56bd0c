using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels;

[TestClass]
public sealed class PoolingTests
{
    // (batch, C, H, W, kH, kW, sH, sW, padTop, padLeft, padBottom, padRight)
    private static readonly int[][] Cases =
    [
        [1, 2, 28, 28, 2, 2, 2, 2, 0, 0, 0, 0],    // LeNet
        [2, 2, 17, 33, 3, 3, 2, 2, 0, 0, 0, 0],    // Inception 3x3 s2 valid, odd sizes
        [2, 2, 17, 17, 3, 3, 2, 2, 1, 1, 1, 1],    // ResNet 3x3 s2 p1
        [1, 3, 16, 16, 3, 3, 2, 2, 0, 0, 1, 1],    // TF SAME s2
        [1, 1, 35, 35, 3, 3, 1, 1, 1, 1, 1, 1],    // Inception avg 3x3 s1 p1
        [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
        [3, 2, 1, 33, 1, 3, 1, 2, 0, 1, 0, 1],     // 1-D
        [2, 3, 7, 9, 5, 3, 3, 1, 2, 1, 0, 0],      // rectangular, stride > window
    ];

    private static PoolGeometry Make(int[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);

    // Distinct values (no ties), so finite differences of max pooling are well defined.
    private static float[] Distinct(Random random, int length)
    {
        var order = Enumerable.Range(0, length).OrderBy(_ => random.Next()).ToArray();
        return order.Select(i => (i - length / 2f) * 0.01f).ToArray();
    }

    [TestMethod]
    public void MaxPool_ForwardAndBackward_MatchReferenceAndFiniteDifferences()
    {
        var random = new Random(31);
        foreach (var c in Cases)
        {
            var g = Make(c);
            string what = string.Join(",", c);
            float[] x = Distinct(random, g.InputLength);
            var y = new float[g.OutputLength];
            var idx = new int[g.OutputLength];
            MaxPooling.Forward(g, x, y, idx);
            double[] xd = Numerics.ToDouble(x);
            Numerics.AssertClose(ConvolutionReference.MaxPool(g, xd), y, 0, 0, $"{what}: max");
            double[] r = Numerics.ToDouble(Numerics.RandomArray(random, g.OutputLength));
            var dx = new float[g.InputLength];
            dx.AsSpan().Fill(float.NaN);
            MaxPooling.Backward(g, r.Select(v => (float)v).ToArray(), idx, dx);
            var geometry = g;
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(ConvolutionReference.MaxPool(geometry, v), r), xd, 1e-4), what: $"{what}: dx");
        }
    }

    [TestMethod]
    public void MaxPool_PicksFirstMaximumAndPropagatesNaN()
    {
        var g = new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2);
        var y = new float[1];
        var idx = new int[1];
        MaxPooling.Forward(g, new float[] { 1, 3, 3, 2 }, y, idx);
        Assert.AreEqual(3f, y[0]);
        Assert.AreEqual(1, idx[0]);
        MaxPooling.Forward(g, new float[] { 1, float.NaN, 5, 2 }, y, idx);
        Assert.IsTrue(float.IsNaN(y[0]));
    }

    [TestMethod]
    public void AvgPool_ForwardAndBackward_BothPaddingConventions()
    {
        var random = new Random(32);
        foreach (bool include in new[] { true, false })
        {
            foreach (var c in Cases)
            {
                var g = Make(c);
                string what = $"{string.Join(",", c)} includePad={include}";
                float[] x = Numerics.RandomArray(random, g.InputLength);
                var y = new float[g.OutputLength];
                AveragePooling.Forward(g, x, y, include);
                double[] xd = Numerics.ToDouble(x);
                Numerics.AssertClose(ConvolutionReference.AvgPool(g, xd, include), y, 1e-5, 1e-6, $"{what}: mean");
                double[] r = Numerics.ToDouble(Numerics.RandomArray(random, g.OutputLength));
                var dx = new float[g.InputLength];
                dx.AsSpan().Fill(float.NaN);
                AveragePooling.Backward(g, r.Select(v => (float)v).ToArray(), dx, include);
                var geometry = g;
                GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(ConvolutionReference.AvgPool(geometry, v, include), r), xd), what: $"{what}: dx");
            }
        }
    }

    [TestMethod]
    public void AvgPool_TfSamePadding_ExcludesPaddingFromTheDivisor()
    {
        // 3x3 input, 2x2 window, stride 2, SAME: the bottom-right window holds one pixel.
        var g = new PoolGeometry(1, 1, 3, 3, 2, 2, 2, 2, 0, 0, 1, 1);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var y = new float[4];
        AveragePooling.Forward(g, x, y, countIncludePad: false);
        CollectionAssert.AreEqual(new float[] { 3f, 4.5f, 7.5f, 9f }, y);
        AveragePooling.Forward(g, x, y, countIncludePad: true);
        CollectionAssert.AreEqual(new float[] { 3f, 9f / 4, 15f / 4, 9f / 4 }, y);
    }

    [TestMethod]
    public void GlobalPooling_ForwardAndBackward()
    {
        var random = new Random(33);
        foreach (var (planes, pixels) in new[] { (6, 49), (1, 1), (3, 33) })
        {
            float[] x = Distinct(random, planes * pixels);
            var avg = new float[planes];
            var max = new float[planes];
            var idx = new int[planes];
            GlobalPooling.AverageForward(planes, pixels, x, avg);
            GlobalPooling.MaxForward(planes, pixels, x, max, idx);
            for (int p = 0; p < planes; p++)
            {
                var plane = x.Skip(p * pixels).Take(pixels).Select(v => (double)v).ToArray();
                Assert.AreEqual(plane.Average(), avg[p], 1e-5, "global average");
                Assert.AreEqual(plane.Max(), max[p], 0, "global max");
            }
            double[] r = Numerics.ToDouble(Numerics.RandomArray(random, planes));
            var rf = r.Select(v => (float)v).ToArray();
            var dx = new float[x.Length];
            double[] xd = Numerics.ToDouble(x);
            GlobalPooling.AverageBackward(planes, pixels, rf, dx);
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v =>
                Enumerable.Range(0, planes).Sum(p => v.Skip(p * pixels).Take(pixels).Average() * r[p]), xd), what: "global average dx");
            GlobalPooling.MaxBackward(planes, pixels, rf, idx, dx);
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v =>
                Enumerable.Range(0, planes).Sum(p => v.Skip(p * pixels).Take(pixels).Max() * r[p]), xd, 1e-4), what: "global max dx");
        }
    }

    [TestMethod]
    public void Geometry_RejectsPaddingAsLargeAsTheWindow()
    {
        var e = Assert.ThrowsException<ArgumentException>(() => new PoolGeometry(1, 1, 8, 8, 2, 2, 2, 2, 2, 0, 0, 0));
        StringAssert.Contains(e.Message, "smaller than the window");
    }
}
