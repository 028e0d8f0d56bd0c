using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels;

[TestClass]
public sealed class ConvolutionTests
{
    // (batch, C, H, W, K, kH, kW, sH, sW, padTop, padLeft, padBottom, padRight, dH, dW, groups): odd sizes and the
    // model zoo's layer kinds, each taking a different path (im2col, blocked im2col, pointwise, depthwise).
    private static readonly (string Name, int[] P)[] Cases =
    [
        ("odd 3x3 pad1 17x33", [3, 3, 17, 33, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        ("1x1 image 1x1 kernel", [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1]),
        ("row 1x3", [2, 3, 1, 17, 4, 1, 3, 1, 1, 0, 1, 0, 1, 1, 1, 1]),
        ("stem 3x3 s2 p1", [2, 3, 33, 33, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]),
        ("stem 3x3 s2 TF same", [2, 3, 32, 32, 8, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1, 1]),
        ("pointwise blocked", [3, 24, 7, 9, 16, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1]),
        ("pointwise direct", [2, 6, 33, 33, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1]),
        ("pointwise grouped", [2, 8, 5, 5, 6, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2]),
        ("pointwise stride 2", [2, 4, 9, 9, 6, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1]),
        ("depthwise 3x3 s1", [2, 8, 17, 17, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8]),
        ("depthwise 3x3 s2 p1", [2, 8, 17, 17, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 8]),
        ("depthwise 3x3 s2 TF same", [2, 5, 16, 16, 5, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1, 5]),
        ("depthwise 5x5 s1", [2, 6, 33, 33, 6, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 6]),
        ("depthwise 5x5 s2", [2, 6, 33, 33, 6, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 6]),
        ("depthwise multiplier 2", [2, 4, 9, 11, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4]),
        ("depthwise dilation 2", [2, 4, 13, 13, 4, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 4]),
        ("depthwise 3x3 s1 wide", [2, 3, 5, 56, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3]),
        ("lenet conv1 (1 channel, multiplier 6)", [3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1]),
        ("lenet conv2 blocked", [5, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1]),
        ("inception 1x7", [2, 8, 17, 17, 8, 1, 7, 1, 1, 0, 3, 0, 3, 1, 1, 1]),
        ("inception 7x1", [2, 8, 17, 17, 8, 7, 1, 1, 1, 3, 0, 3, 0, 1, 1, 1]),
        ("inception 3x3 s2 valid", [2, 8, 35, 35, 12, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1, 1]),
        ("inception 3x3 pad1 35x35", [2, 4, 35, 35, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        ("5x5 pad 2", [2, 6, 17, 17, 8, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1]),
        ("resnet 7x7 s2 p3", [2, 3, 33, 33, 8, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1]),
        ("grouped 4", [2, 8, 9, 9, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4]),
        ("dilation 2", [2, 4, 17, 17, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1]),
        ("stride 3x2 dilation 1x2 asymmetric", [2, 3, 17, 33, 5, 3, 5, 3, 2, 1, 2, 0, 1, 1, 2, 1]),
    ];

    // Small versions of each path for finite differences.
    private static readonly (string Name, int[] P)[] SmallCases =
    [
        ("general 3x3 pad1", [2, 3, 5, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        ("stride 2 asymmetric pad", [2, 2, 7, 6, 3, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1, 1]),
        ("pointwise", [2, 4, 3, 5, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1]),
        ("grouped dilated", [2, 4, 7, 7, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 2]),
        ("depthwise s1", [2, 3, 6, 7, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3]),
        ("depthwise s2 multiplier 2", [2, 2, 7, 7, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2]),
        ("depthwise 5x5 s2 TF same", [1, 2, 8, 8, 2, 5, 5, 2, 2, 1, 1, 2, 2, 1, 1, 2]),
        ("single channel multiplier 3", [2, 1, 6, 6, 3, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1]),
    ];

    private static ConvGeometry Make(int[] p) =>
        new(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]);

    [TestMethod]
    public void Forward_MatchesNaiveReference_OnZooAndOddShapes()
    {
        foreach (bool direct in new[] { true, false }) WithDirect(direct, () => ForwardCases(direct));
    }

    private static void ForwardCases(bool direct)
    {
        var random = new Random(11);
        foreach (var (caseName, p) in Cases)
        {
            string name = $"{caseName} (direct {direct})";
            var g = Make(p);
            float[] x = Numerics.RandomArray(random, g.InputLength);
            float[] w = Numerics.RandomArray(random, g.WeightLength);
            float[] b = Numerics.RandomArray(random, g.OutChannels);
            var y = new float[g.OutputLength];
            y.AsSpan().Fill(float.NaN);
            Convolution.Forward(g, x, w, b, y);
            double[] expected = ConvolutionReference.Forward(g, Numerics.ToDouble(x), Numerics.ToDouble(w), Numerics.ToDouble(b));
            double taps = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
            Numerics.AssertClose(expected, y, 1e-4, 2e-6 * taps, $"{name}: output");

            Convolution.Forward(g, x, w, ReadOnlySpan<float>.Empty, y);
            double[] noBias = ConvolutionReference.Forward(g, Numerics.ToDouble(x), Numerics.ToDouble(w), null);
            Numerics.AssertClose(noBias, y, 1e-4, 2e-6 * taps, $"{name}: output without bias");
        }
    }

    [TestMethod]
    public void Backward_MatchesExactAdjoint_OnZooAndOddShapes()
    {
        foreach (bool direct in new[] { true, false }) WithDirect(direct, () => BackwardCases(direct));
    }

    private static void BackwardCases(bool direct)
    {
        var random = new Random(12);
        foreach (var (caseName, p) in Cases)
        {
            string name = $"{caseName} (direct {direct})";
            var g = Make(p);
            float[] x = Numerics.RandomArray(random, g.InputLength);
            float[] w = Numerics.RandomArray(random, g.WeightLength);
            float[] dy = Numerics.RandomArray(random, g.OutputLength);
            var dx = new float[g.InputLength];
            var dw = new float[g.WeightLength];
            var db = new float[g.OutChannels];
            dx.AsSpan().Fill(float.NaN);
            dw.AsSpan().Fill(float.NaN);
            Convolution.BackwardData(g, dy, w, dx);
            Convolution.BackwardWeight(g, x, dy, dw);
            Convolution.BackwardBias(g, dy, db);
            var (edx, edw, edb) = ConvolutionReference.Backward(g, Numerics.ToDouble(x), Numerics.ToDouble(w), Numerics.ToDouble(dy));
            double terms = (double)g.OutputLength / g.OutChannels * g.KernelHeight * g.KernelWidth;
            Numerics.AssertClose(edx, dx, 1e-4, 2e-6 * g.OutChannelsPerGroup * g.KernelHeight * g.KernelWidth, $"{name}: input gradient");
            Numerics.AssertClose(edw, dw, 1e-4, 1e-6 * Math.Sqrt(terms) * 4, $"{name}: weight gradient");
            Numerics.AssertClose(edb, db, 1e-4, 1e-6 * Math.Sqrt(g.OutputLength), $"{name}: bias gradient");
        }
    }

    [TestMethod]
    public void Backward_MatchesFiniteDifferences()
    {
        foreach (bool direct in new[] { true, false }) WithDirect(direct, () => FiniteDifferenceCases(direct));
    }

    private static void WithDirect(bool direct, Action run)
    {
        bool keep = Convolution.DirectEnabled;
        try
        {
            Convolution.DirectEnabled = direct;
            run();
        }
        finally
        {
            Convolution.DirectEnabled = keep;
        }
    }

    private static void FiniteDifferenceCases(bool direct)
    {
        var random = new Random(13);
        foreach (var (caseName, p) in SmallCases)
        {
            string name = $"{caseName} (direct {direct})";
            var g = Make(p);
            float[] x = Numerics.RandomArray(random, g.InputLength);
            float[] w = Numerics.RandomArray(random, g.WeightLength);
            float[] b = Numerics.RandomArray(random, g.OutChannels);
            double[] r = Numerics.ToDouble(Numerics.RandomArray(random, g.OutputLength));
            double[] xd = Numerics.ToDouble(x), wd = Numerics.ToDouble(w), bd = Numerics.ToDouble(b);
            var rf = r.Select(v => (float)v).ToArray();

            var dx = new float[g.InputLength];
            var dw = new float[g.WeightLength];
            var db = new float[g.OutChannels];
            Convolution.BackwardData(g, rf, w, dx);
            Convolution.BackwardWeight(g, x, rf, dw);
            Convolution.BackwardBias(g, rf, db);

            var geometry = g;
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(ConvolutionReference.Forward(geometry, v, wd, bd), r), xd), what: $"{name}: dx");
            GradientCheck.AssertClose(dw, GradientCheck.Numerical(v => GradientCheck.Dot(ConvolutionReference.Forward(geometry, xd, v, bd), r), wd), what: $"{name}: dw");
            GradientCheck.AssertClose(db, GradientCheck.Numerical(v => GradientCheck.Dot(ConvolutionReference.Forward(geometry, xd, wd, v), r), bd), what: $"{name}: db");
        }
    }

    [TestMethod]
    public void Forward_IsTheSameOnOneThreadAndOnMany()
    {
        var random = new Random(14);
        int keep = ParallelKernels.DegreeOfParallelism;
        foreach (var (name, p) in Cases.Where((_, i) => i % 3 == 0))
        {
            var g = Make(p).WithBatch(4);
            float[] x = Numerics.RandomArray(random, g.InputLength);
            float[] w = Numerics.RandomArray(random, g.WeightLength);
            float[] dy = Numerics.RandomArray(random, g.OutputLength);
            var one = (y: new float[g.OutputLength], dx: new float[g.InputLength], dw: new float[g.WeightLength]);
            var many = (y: new float[g.OutputLength], dx: new float[g.InputLength], dw: new float[g.WeightLength]);
            try
            {
                ParallelKernels.DegreeOfParallelism = 1;
                Convolution.Forward(g, x, w, ReadOnlySpan<float>.Empty, one.y);
                Convolution.BackwardData(g, dy, w, one.dx);
                Convolution.BackwardWeight(g, x, dy, one.dw);
                ParallelKernels.DegreeOfParallelism = 3;
                Convolution.Forward(g, x, w, ReadOnlySpan<float>.Empty, many.y);
                Convolution.BackwardData(g, dy, w, many.dx);
                Convolution.BackwardWeight(g, x, dy, many.dw);
            }
            finally
            {
                ParallelKernels.DegreeOfParallelism = keep;
            }
            Numerics.AssertClose(one.y, many.y, 1e-5f, 1e-5f, $"{name}: output");
            Numerics.AssertClose(one.dx, many.dx, 1e-5f, 1e-5f, $"{name}: input gradient");
            Numerics.AssertClose(one.dw, many.dw, 1e-4f, 1e-4f, $"{name}: weight gradient");
        }
    }

    [TestMethod]
    public void Geometry_ComputesOutputSizeAndSamePadding()
    {
        var g = new ConvGeometry(1, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3, 3, 3);
        Assert.AreEqual(112, g.OutHeight);
        Assert.AreEqual(112, g.OutWidth);
        Assert.AreEqual(2.0 * 64 * 112 * 112 * 3 * 49, g.ForwardFlops);
        Assert.AreEqual((0, 1), ConvGeometry.SamePadding(224, 3, 2, 1));
        Assert.AreEqual((1, 1), ConvGeometry.SamePadding(56, 3, 1, 1));
        Assert.AreEqual((1, 2), ConvGeometry.SamePadding(8, 5, 2, 1));
        Assert.AreEqual((2, 2), ConvGeometry.SamePadding(9, 3, 1, 2));
        var (t, b) = ConvGeometry.SamePadding(35, 3, 2, 1);
        Assert.AreEqual(18, new ConvGeometry(1, 1, 35, 35, 1, 3, 3, 2, 2, t, t, b, b).OutHeight);
    }

    [TestMethod]
    public void Geometry_RejectsBadShapesWithClearMessages()
    {
        var e = Assert.ThrowsException<ArgumentException>(() => new ConvGeometry(1, 3, 4, 4, 8, 5, 5));
        StringAssert.Contains(e.Message, "does not fit");
        e = Assert.ThrowsException<ArgumentException>(() => new ConvGeometry(1, 6, 8, 8, 8, 3, 3, groups: 4));
        StringAssert.Contains(e.Message, "groups (4)");
        e = Assert.ThrowsException<ArgumentException>(() => new ConvGeometry(1, 3, 8, 8, 8, 3, 3, strideHeight: 0));
        StringAssert.Contains(e.Message, "strideHeight");
        e = Assert.ThrowsException<ArgumentException>(() => new ConvGeometry(1, 3, 8, 8, 8, 3, 3, padLeft: -1));
        StringAssert.Contains(e.Message, "padding");
        var g = new ConvGeometry(2, 3, 8, 8, 4, 3, 3);
        e = Assert.ThrowsException<ArgumentException>(() => Convolution.Forward(g, new float[10], new float[g.WeightLength], ReadOnlySpan<float>.Empty, new float[g.OutputLength]));
        StringAssert.Contains(e.Message, "input has 10 elements");
    }
}
