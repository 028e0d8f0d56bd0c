using System.Numerics;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

/// <summary>Sweeps the polynomial exp, expm1, log1p and tanh against double-precision Math over their whole ranges.</summary>
[TestClass]
public class VectorMathTests
{
    private static void Sweep(Func<Vector<float>, Vector<float>> f, Func<double, double> reference, double lo, double hi, int count, double maxRelative, string what)
    {
        int w = Vector<float>.Count;
        var xs = new float[w];
        var ys = new float[w];
        double worst = 0;
        for (int i = 0; i < count; i += w)
        {
            for (int j = 0; j < w; j++) xs[j] = (float)(lo + (hi - lo) * (i + j) / (count - 1));
            f(new Vector<float>(xs)).CopyTo(ys);
            for (int j = 0; j < w; j++)
            {
                double r = reference(xs[j]);
                double rel = Math.Abs(ys[j] - r) / Math.Max(Math.Abs(r), 1e-37);
                worst = Math.Max(worst, rel);
                Assert.IsTrue(rel <= maxRelative, $"{what}({xs[j]:R}) = {ys[j]:R}, expected {r:R} (relative error {rel:G3})");
            }
        }
        Console.WriteLine($"{what}: worst relative error {worst:G3}");
    }

    [TestMethod]
    public void ExpIsAccurateOverTheFloatRange()
    {
        Sweep(VectorMath.Exp, Math.Exp, -86.5, 88.7, 200_003, 3e-7, "exp");
        Sweep(VectorMath.Exp, Math.Exp, -1e-3, 1e-3, 2001, 2e-7, "exp near 0");
        float[] special = [float.NegativeInfinity, -1000f, 89f, float.PositiveInfinity, float.NaN, 0f, -0f, 88.72f];
        var v = new float[Vector<float>.Count];
        for (int i = 0; i < special.Length; i++)
        {
            v[0] = special[i];
            float e = VectorMath.Exp(new Vector<float>(v))[0];
            double expected = Math.Exp(special[i]);
            bool ok = double.IsNaN(expected) ? float.IsNaN(e)
                : expected > float.MaxValue ? float.IsPositiveInfinity(e)
                : Math.Abs(e - expected) <= 3e-7 * expected;
            Assert.IsTrue(ok, $"exp({special[i]}) = {e}");
        }
    }

    [TestMethod]
    public void ExpM1Log1PAndTanhKeepRelativeAccuracyNearZero()
    {
        Sweep(VectorMath.ExpM1, x => x == 0 ? 0 : Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1, -20, 5, 100_001, 4e-7, "expm1");
        Sweep(VectorMath.ExpM1, x => x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24, -1e-3, 1e-3, 2001, 2e-7, "expm1 near 0");
        Sweep(VectorMath.Log1P, t => t < 1e-4 ? t - t * t / 2 + t * t * t / 3 : Math.Log(1 + t), 0, 1, 100_001, 2e-7, "log1p");
        Sweep(VectorMath.Log1P, t => t - t * t / 2 + t * t * t / 3, 1e-12, 1e-6, 2001, 2e-7, "log1p tiny");
        Sweep(VectorMath.Tanh, Math.Tanh, -12, 12, 100_001, 4e-7, "tanh");
        Sweep(VectorMath.Tanh, x => x - x * x * x / 3 + 2 * Math.Pow(x, 5) / 15, -1e-3, 1e-3, 2001, 2e-7, "tanh near 0");
    }
}
