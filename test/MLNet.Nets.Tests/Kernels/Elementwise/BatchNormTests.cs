using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

[TestClass]
public class BatchNormTests
{
    private static readonly (int N, int C, int S)[] Shapes = [(3, 5, 17), (4, 3, 1), (2, 1, 33), (1, 2, 3), (5, 2, 8)];

    /// <summary>Training-mode batch norm in double; returns y and the batch mean and biased variance per channel.</summary>
    internal static (double[] Y, double[] Mean, double[] Var) ReferenceTraining(double[] x, double[] gamma, double[] beta, int n, int c, int s, double eps)
    {
        var y = new double[x.Length];
        var means = new double[c];
        var vars = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sum += x[(i * c + ch) * s + j];
            double mean = sum / (n * s);
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sq += Math.Pow(x[(i * c + ch) * s + j] - mean, 2);
            double variance = sq / (n * s);
            means[ch] = mean;
            vars[ch] = variance;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    int at = (i * c + ch) * s + j;
                    y[at] = gamma[ch] * (x[at] - mean) / Math.Sqrt(variance + eps) + beta[ch];
                }
            }
        }
        return (y, means, vars);
    }

    internal static double[] ReferenceInference(double[] x, double[] gamma, double[] beta, double[] rm, double[] rv, int n, int c, int s, double eps)
    {
        var y = new double[x.Length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < s; j++)
                {
                    int at = (i * c + ch) * s + j;
                    y[at] = gamma[ch] * (x[at] - rm[ch]) / Math.Sqrt(rv[ch] + eps) + beta[ch];
                }
        return y;
    }

    [TestMethod]
    public void TrainingForwardNormalisesAndUpdatesRunningStatsLikePyTorch()
    {
        var random = new Random(21);
        foreach (var (n, c, s) in Shapes)
        {
            var x = Numerics.RandomArray(random, n * c * s, 3f);
            for (int i = 0; i < x.Length; i++) x[i] += 5f; // an offset the two-pass variance must not lose
            var gamma = Numerics.RandomArray(random, c);
            var beta = Numerics.RandomArray(random, c);
            var rm = Numerics.RandomArray(random, c);
            var rv = Numerics.RandomArray(random, c).Select(v => 1 + Math.Abs(v)).ToArray();
            var rm0 = (float[])rm.Clone();
            var rv0 = (float[])rv.Clone();
            var y = new float[x.Length];
            var mean = new float[c];
            var invStd = new float[c];
            BatchNorm.ForwardTraining(x, y, n, c, s, gamma, beta, 1e-5f, 0.1f, rm, rv, mean, invStd);
            var (ey, em, ev) = ReferenceTraining(Numerics.ToDouble(x), Numerics.ToDouble(gamma), Numerics.ToDouble(beta), n, c, s, 1e-5);
            string what = $"[{n},{c},{s}]";
            Numerics.AssertClose(ey, y, 1e-4, 1e-4, $"y {what}");
            Numerics.AssertClose(em, mean, 1e-5, 1e-6, $"mean {what}");
            Numerics.AssertClose(ev.Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray(), invStd, 1e-4, 1e-6, $"invstd {what}");
            int m = n * s;
            Numerics.AssertClose(em.Select((v, i) => 0.9 * rm0[i] + 0.1 * v).ToArray(), rm, 1e-5, 1e-6, $"running mean {what}");
            Numerics.AssertClose(ev.Select((v, i) => 0.9 * rv0[i] + 0.1 * v * m / (m - 1)).ToArray(), rv, 1e-4, 1e-6, $"running var {what}");
        }
    }

    [TestMethod]
    public void TrainingBackwardMatchesCentralDifferences()
    {
        var random = new Random(22);
        foreach (var (n, c, s) in Shapes)
        {
            var x = Numerics.RandomArray(random, n * c * s, 2f);
            var gamma = Numerics.RandomArray(random, c);
            var beta = Numerics.RandomArray(random, c);
            var r = Numerics.RandomArray(random, x.Length);
            var y = new float[x.Length];
            var mean = new float[c];
            var invStd = new float[c];
            BatchNorm.ForwardTraining(x, y, n, c, s, gamma, beta, 1e-3f, 0.1f, new float[c], new float[c], mean, invStd);
            var dx = new float[x.Length];
            var dg = new float[c];
            var db = new float[c];
            BatchNorm.BackwardTraining(x, r, dx, n, c, s, gamma, mean, invStd, dg, db);
            var xd = Numerics.ToDouble(x);
            var gd = Numerics.ToDouble(gamma);
            var bd = Numerics.ToDouble(beta);
            var rd = Numerics.ToDouble(r);
            string what = $"[{n},{c},{s}]";
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(ReferenceTraining(v, gd, bd, n, c, s, 1e-3).Y, rd), xd), what: $"dx {what}");
            GradientCheck.AssertClose(dg, GradientCheck.Numerical(v => GradientCheck.Dot(ReferenceTraining(xd, v, bd, n, c, s, 1e-3).Y, rd), gd), what: $"dgamma {what}");
            GradientCheck.AssertClose(db, GradientCheck.Numerical(v => GradientCheck.Dot(ReferenceTraining(xd, gd, v, n, c, s, 1e-3).Y, rd), bd), what: $"dbeta {what}");
            // In place over dy, and parameter gradients only.
            var dyCopy = (float[])r.Clone();
            BatchNorm.BackwardTraining(x, dyCopy, dyCopy, n, c, s, gamma, mean, invStd, default, default);
            CollectionAssert.AreEqual(dx, dyCopy);
        }
    }

    [TestMethod]
    public void InferenceForwardAndBackwardUseRunningStatistics()
    {
        var random = new Random(23);
        foreach (var (n, c, s) in Shapes)
        {
            var x = Numerics.RandomArray(random, n * c * s, 2f);
            var gamma = Numerics.RandomArray(random, c);
            var beta = Numerics.RandomArray(random, c);
            var rm = Numerics.RandomArray(random, c);
            var rv = Numerics.RandomArray(random, c).Select(v => 0.5f + Math.Abs(v)).ToArray();
            var y = new float[x.Length];
            BatchNorm.ForwardInference(x, y, n, c, s, gamma, beta, rm, rv, 1e-5f);
            var xd = Numerics.ToDouble(x);
            var gd = Numerics.ToDouble(gamma);
            var bd = Numerics.ToDouble(beta);
            var rmd = Numerics.ToDouble(rm);
            var rvd = Numerics.ToDouble(rv);
            Numerics.AssertClose(ReferenceInference(xd, gd, bd, rmd, rvd, n, c, s, 1e-5), y, 1e-5, 1e-5, "inference y");
            var r = Numerics.RandomArray(random, x.Length);
            var rd = Numerics.ToDouble(r);
            var dx = new float[x.Length];
            var dg = new float[c];
            var db = new float[c];
            BatchNorm.BackwardInference(x, r, dx, n, c, s, gamma, rm, rv, 1e-5f, dg, db);
            GradientCheck.AssertClose(dx, GradientCheck.Numerical(v => GradientCheck.Dot(ReferenceInference(v, gd, bd, rmd, rvd, n, c, s, 1e-5), rd), xd), what: "dx");
            GradientCheck.AssertClose(dg, GradientCheck.Numerical(v => GradientCheck.Dot(ReferenceInference(xd, v, bd, rmd, rvd, n, c, s, 1e-5), rd), gd), what: "dgamma");
            GradientCheck.AssertClose(db, GradientCheck.Numerical(v => GradientCheck.Dot(ReferenceInference(xd, gd, v, rmd, rvd, n, c, s, 1e-5), rd), bd), what: "dbeta");
        }
    }

    [TestMethod]
    public void SingleValuePerChannelInTrainingIsAClearError()
    {
        var ex = Assert.ThrowsException<ArgumentException>(() =>
            BatchNorm.ForwardTraining(new float[3], new float[3], 1, 3, 1, new float[3], new float[3], 1e-5f, 0.1f,
                new float[3], new float[3], new float[3], new float[3]));
        StringAssert.Contains(ex.Message, "more than one value per channel");
    }
}
