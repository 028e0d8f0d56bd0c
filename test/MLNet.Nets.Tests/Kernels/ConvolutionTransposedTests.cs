using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels;

[TestClass]
public sealed class ConvolutionTransposedTests
{
    // (batch, Cin, H, W, Cout, k, stride, pad, outputPadding, dilation, groups)
    private static readonly int[][] Cases =
    [
        [2, 4, 5, 6, 6, 3, 2, 1, 1, 1, 1],
        [2, 4, 7, 7, 4, 4, 2, 1, 0, 1, 2],
        [1, 3, 5, 5, 2, 3, 1, 0, 0, 1, 1],
        [2, 2, 4, 5, 3, 3, 1, 1, 0, 2, 1],
        [2, 3, 3, 3, 3, 3, 3, 0, 2, 1, 3],
        [3, 6, 17, 9, 5, 2, 2, 0, 0, 1, 1],
    ];

    private static ConvGeometry Make(int[] c) =>
        TransposedConvolution.Geometry(c[0], c[1], c[2], c[3], c[4], c[5], c[5], c[6], c[6], c[7], c[7], c[7], c[7], c[8], c[8], c[9], c[9], c[10]);

    private static double[] Reference(int[] c, double[] x, double[] w, double[]? b) =>
        ConvolutionReference.TransposedForward(c[0], c[1], c[2], c[3], c[4], c[5], c[5], c[6], c[7], c[8], c[9], c[10], x, w, b, out _, out _);

    [TestMethod]
    public void Forward_MatchesDefinition()
    {
        var random = new Random(21);
        foreach (var c in Cases)
        {
            var g = Make(c);
            float[] x = Numerics.RandomArray(random, g.OutputLength);
            float[] w = Numerics.RandomArray(random, g.WeightLength);
            float[] b = Numerics.RandomArray(random, g.InChannels);
            var y = new float[g.InputLength];
            TransposedConvolution.Forward(g, x, w, b, y);
            double[] expected = Reference(c, Numerics.ToDouble(x), Numerics.ToDouble(w), Numerics.ToDouble(b));
            Assert.AreEqual(expected.Length, y.Length, $"case {string.Join(",", c)}: output size");
            Numerics.AssertClose(expected, y, 1e-4, 1e-4, $"case {string.Join(",", c)}: output");
        }
    }

    [TestMethod]
    public void Backward_MatchesFiniteDifferences()
    {
        var random = new Random(22);
        foreach (var c in Cases.Take(5))
        {
            var g = Make(c);
            float[] x = Numerics.RandomArray(random, g.OutputLength);
            float[] w = Numerics.RandomArray(random, g.WeightLength);
            float[] b = Numerics.RandomArray(random, g.InChannels);
            double[] r = Numerics.ToDouble(Numerics.RandomArray(random, g.InputLength));
            var rf = r.Select(v => (float)v).ToArray();
            double[] xd = Numerics.ToDouble(x), wd = Numerics.ToDouble(w), bd = Numerics.ToDouble(b);
            var dx = new float[x.Length];
            var dw = new float[w.Length];
            var db = new float[b.Length];
            TransposedConvolution.BackwardData(g, rf, w, dx);
            TransposedConvolution.BackwardWeight(g, x, rf, dw);
            TransposedConvolution.BackwardBias(g, rf, db);
            string what = string.Join(",", c);
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(c, v, wd, bd), r), xd), what: $"{what}: dx");
            GradientCheck.AssertClose(dw, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(c, xd, v, bd), r), wd), what: $"{what}: dw");
            GradientCheck.AssertClose(db, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(c, xd, wd, v), r), bd), what: $"{what}: db");
        }
    }

    [TestMethod]
    public void Geometry_RejectsOutputPaddingNotBelowStride()
    {
        var e = Assert.ThrowsException<ArgumentException>(() => TransposedConvolution.Geometry(1, 2, 4, 4, 2, 3, 3, 2, 2, outputPaddingHeight: 2));
        StringAssert.Contains(e.Message, "output padding");
    }
}
