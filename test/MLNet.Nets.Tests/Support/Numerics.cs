namespace MLNet.Nets.Tests.Support;

/// <summary>Random test data and closeness assertions shared by the kernel and layer tests.</summary>
public static class Numerics
{
    /// <summary>Uniform values in [-1, 1) from a seeded generator.</summary>
    public static float[] RandomArray(Random random, int length, float scale = 1f)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = scale * (2f * (float)random.NextDouble() - 1f);
        return a;
    }

    /// <summary>Widens to double.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> a)
    {
        var d = new double[a.Length];
        for (int i = 0; i < a.Length; i++) d[i] = a[i];
        return d;
    }

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise, naming the first bad index.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float rtol = 1e-4f, float atol = 1e-5f, string what = "value")
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            float tol = atol + rtol * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tol))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]} but got {actual[i]} (tolerance {tol:G3})");
            }
        }
    }

    /// <summary>Double-precision overload of <see cref="AssertClose(ReadOnlySpan{float}, ReadOnlySpan{float}, float, float, string)"/>.</summary>
    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double rtol = 1e-4, double atol = 1e-5, string what = "value")
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = atol + rtol * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tol))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]} but got {actual[i]} (tolerance {tol:G3})");
            }
        }
    }

    /// <summary>
    /// Asserts max |actual − expected| ≤ rtol·max |expected| — closeness relative to the output's scale, the bar used
    /// against PyTorch and ONNX Runtime for whole networks.
    /// </summary>
    public static void AssertCloseToScale(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol = 1e-4, string what = "output")
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        double scale = 0, worst = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        Assert.IsTrue(scale > 0, $"{what}: the expected values are all zero, which would make the comparison meaningless");
        Assert.IsTrue(worst <= rtol * scale,
            $"{what}[{at}]: expected {expected[at]} but got {actual[at]}; max difference {worst:G3} > {rtol:G2}·{scale:G3}");
    }
}
