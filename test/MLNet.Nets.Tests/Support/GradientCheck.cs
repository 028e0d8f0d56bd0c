namespace MLNet.Nets.Tests.Support;

/// <summary>
/// Central finite differences in double precision. A test writes the operation's naive forward in double,
/// contracts its output with a random weight vector R (loss = Σ out·R), and compares the float backward
/// (fed with R as the output gradient) with <see cref="Numerical"/> of that loss.
/// </summary>
public static class GradientCheck
{
    /// <summary>dF/dx by central differences: (F(x + h·eᵢ) − F(x − h·eᵢ)) / 2h for every i.</summary>
    public static double[] Numerical(Func<double[], double> f, double[] x, double h = 1e-5)
    {
        var grad = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            double keep = probe[i];
            probe[i] = keep + h;
            double plus = f(probe);
            probe[i] = keep - h;
            double minus = f(probe);
            probe[i] = keep;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    /// <summary>Σ a·b in double.</summary>
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>
    /// Asserts |analytic − numeric| ≤ atol + rtol·max|numeric| element-wise, naming the first bad index.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<float> analytic, double[] numeric, double rtol = 2e-3, double atol = 1e-4, string what = "gradient")
    {
        Assert.AreEqual(numeric.Length, analytic.Length, $"{what}: length");
        double scale = 0;
        foreach (double v in numeric) scale = Math.Max(scale, Math.Abs(v));
        double tol = atol + rtol * scale;
        for (int i = 0; i < numeric.Length; i++)
        {
            if (!(Math.Abs(analytic[i] - numeric[i]) <= tol))
            {
                Assert.Fail($"{what}[{i}]: analytic {analytic[i]} vs numeric {numeric[i]} (tolerance {tol:G3})");
            }
        }
    }
}
