using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class SmallDenseAlgebraTests
{
    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(5, 9)]
    [DataRow(13, 30)]
    [DataRow(37, 64)]
    public void GramMatchesNaive(int p, int q)
    {
        var random = new Random(p * 100 + q);
        int stride = SmallDenseAlgebra.Pad4(q), pp = SmallDenseAlgebra.Pad4(p);
        var jt = new double[pp * stride];
        for (int a = 0; a < p; a++) for (int r = 0; r < q; r++) jt[a * stride + r] = random.NextDouble() * 2 - 1;
        var h = new double[pp * pp];
        SmallDenseAlgebra.Gram(jt, p, stride, h, pp);
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                double expected = 0;
                for (int r = 0; r < q; r++) expected += jt[a * stride + r] * jt[b * stride + r];
                Assert.AreEqual(expected, h[a * pp + b], 1e-12 * q, $"h[{a},{b}]");
            }
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(6)]
    [DataRow(23)]
    [DataRow(151)]
    public void CholeskySolveMatchesGaussianElimination(int n)
    {
        var random = new Random(n);
        int stride = SmallDenseAlgebra.Pad4(n);
        // A = BᵀB (positive semi-definite, singular when rows < n) plus the shift below.
        int rows = Math.Max(1, n / 2);
        var b = new double[rows * n];
        for (int i = 0; i < b.Length; i++) b[i] = random.NextDouble() * 2 - 1;
        var a = new double[stride * stride];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int r = 0; r < rows; r++) s += b[r * n + i] * b[r * n + j];
            a[i * stride + j] = s;
        }
        var rhs = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double shift = 0.01;
        var l = new double[stride * stride];
        Assert.IsTrue(SmallDenseAlgebra.Cholesky(a, n, stride, shift, l));
        var x = new double[n];
        SmallDenseAlgebra.CholeskySolve(l, n, stride, rhs, x);
        var expected = Gauss(a, n, stride, shift, rhs);
        for (int i = 0; i < n; i++) Assert.AreEqual(expected[i], x[i], 1e-8 * (1 + Math.Abs(expected[i])), $"x[{i}]");
    }

    [TestMethod]
    public void CholeskyReportsIndefiniteMatrix()
    {
        double[] a = [1, 2, 2, 1];   // eigenvalues 3 and −1
        var l = new double[4];
        Assert.IsFalse(SmallDenseAlgebra.Cholesky(a, 2, 2, 0.5, l));
        Assert.IsTrue(SmallDenseAlgebra.Cholesky(a, 2, 2, 1.5, l));
    }

    private static double[] Gauss(double[] a, int n, int stride, double shift, double[] rhs)
    {
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a[i * stride + j] + (i == j ? shift : 0);
            m[i, n] = rhs[i];
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            for (int j = 0; j <= n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            for (int r = 0; r < n; r++)
            {
                if (r == c) continue;
                double f = m[r, c] / m[c, c];
                for (int j = c; j <= n; j++) m[r, j] -= f * m[c, j];
            }
        }
        return Enumerable.Range(0, n).Select(i => m[i, n] / m[i, i]).ToArray();
    }
}
