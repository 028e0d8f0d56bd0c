using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels;

[TestClass]
public sealed class GemmTests
{
    private static readonly bool[] Bools = [false, true];

    [TestCleanup]
    public void Restore()
    {
        Gemm.ForcePath(null);
        ParallelKernels.DegreeOfParallelism = Environment.ProcessorCount;
        GemmDriver.KcTarget = 384;
        GemmDriver.McTarget = 144;
        GemmDriver.NcUnit = 1024;
        GemmDriver.PackedBLimit = 4L << 20;
        GemmDriver.ParallelThreshold = 96L * 96 * 96;
        GemmDriver.DirectBMaxK = 160;
        GemmDriver.DirectBMaxWork = 64L * 64 * 64;
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C with sums in double, indexing the stored matrices directly.</summary>
    private static float[] Reference(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var result = (float[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta ? a[p * lda + i] : a[i * lda + p];
                    double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                int idx = i * ldc + j;
                result[idx] = (float)(beta == 0 ? alpha * sum : alpha * sum + beta * (double)c[idx]);
            }
        }
        return result;
    }

    /// <summary>Runs one product on random data with the given strides and checks every element of C (padding included).</summary>
    private static void Check(Random random, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int padA = 0, int padB = 0, int padC = 0, bool nanC = false)
    {
        int lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + padC;
        var a = Numerics.RandomArray(random, Math.Max(1, (ta ? k : m) * lda));
        var b = Numerics.RandomArray(random, Math.Max(1, (tb ? n : k) * ldb));
        var c = Numerics.RandomArray(random, Math.Max(1, m * ldc));
        if (nanC)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++) c[i * ldc + j] = float.NaN;
            }
        }
        var expected = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        // float accumulation over k terms of magnitude ≤ 1: allow error growing with √k.
        float atol = 2e-6f * MathF.Sqrt(k + 1) * MathF.Max(1, MathF.Abs(alpha)) + 1e-6f;
        Numerics.AssertClose(expected, c, rtol: 1e-4f, atol: atol,
            what: $"{Gemm.Path} C (transA={ta}, transB={tb}, m={m}, n={n}, k={k}, lda={lda}, ldb={ldb}, ldc={ldc}, alpha={alpha}, beta={beta})");
    }

    private static void UsePath(GemmPath path)
    {
        if (!Gemm.IsSupported(path)) Assert.Inconclusive($"This processor cannot run the {path} kernel.");
        Gemm.ForcePath(path);
    }

    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void AllTransposes_OddShapesAndStrides_MatchReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        var random = new Random(12);
        int[] sizes = [1, 3, 17, 33, 65, 127];
        foreach (bool ta in Bools)
        {
            foreach (bool tb in Bools)
            {
                for (int trial = 0; trial < 12; trial++)
                {
                    int m = sizes[random.Next(sizes.Length)], n = sizes[random.Next(sizes.Length)], k = sizes[random.Next(sizes.Length)];
                    Check(random, ta, tb, m, n, k, 1f, 0f, random.Next(4) * 3, random.Next(4) * 5, random.Next(4) * 7);
                }
                Check(random, ta, tb, 257, 9, 33, 0.5f, 0f, 1, 3, 5);
                Check(random, ta, tb, 5, 257, 40, -1.5f, 0.25f, 7, 1, 3);
                Check(random, ta, tb, 31, 47, 257, 1f, 1f, 0, 0, 0);
            }
        }
    }

    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void AlphaBetaVariants_MatchReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        var random = new Random(3);
        foreach (bool ta in Bools)
        {
            foreach (bool tb in Bools)
            {
                foreach (float alpha in new[] { 1f, -2f, 0.3f, 0f })
                {
                    foreach (float beta in new[] { 0f, 1f, -0.5f, 2f })
                    {
                        Check(random, ta, tb, 23, 37, 19, alpha, beta, 2, 1, 3);
                    }
                }
                Check(random, ta, tb, 14, 20, 0, 1f, 0.5f);
                Check(random, ta, tb, 14, 20, 0, 1f, 0f, nanC: true);
            }
        }
    }

    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void BetaZero_NaNInC_IsNotRead(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        var random = new Random(5);
        foreach (bool ta in Bools)
        {
            foreach (bool tb in Bools)
            {
                Check(random, ta, tb, 19, 45, 70, 1.5f, 0f, 1, 2, 3, nanC: true);
                Check(random, ta, tb, 1, 45, 70, 1f, 0f, 1, 2, 3, nanC: true);
                Check(random, ta, tb, 19, 1, 70, 1f, 0f, 1, 2, 3, nanC: true);
                Check(random, ta, tb, 128, 200, 600, 1f, 0f, 0, 0, 1, nanC: true);
            }
        }
    }

    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void SingleRowOrColumn_MatrixVectorPaths_MatchReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        var random = new Random(8);
        foreach (bool ta in Bools)
        {
            foreach (bool tb in Bools)
            {
                Check(random, ta, tb, 1, 1, 13, 1f, 0f, 2, 3, 1);
                Check(random, ta, tb, 10, 1, 13, 0.7f, 0.2f, 2, 3, 4);
                Check(random, ta, tb, 1, 10, 13, -1f, 1f, 2, 3, 4);
                Check(random, ta, tb, 700, 1, 600, 1f, 0f, 1, 1, 2);
                Check(random, ta, tb, 1, 300, 257, 1f, 0.5f, 3, 0, 0);
            }
        }
    }

    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void Large_MultiThreaded_300x500x700_MatchesReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        ParallelKernels.DegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        var random = new Random(21);
        foreach (bool ta in Bools)
        {
            foreach (bool tb in Bools)
            {
                Check(random, ta, tb, 300, 500, 700, 1f, 0f, 3, 1, 2);
            }
        }
        Check(random, false, false, 300, 500, 700, -0.5f, 0.75f);
    }

    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void ConvolutionAndNetworkShapes_MatchReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        var random = new Random(4);
        // im2col forward, weight gradient (transB) and input gradient (transA) shapes; Levenberg–Marquardt JᵀJ.
        Check(random, false, false, 32, 1568, 27, 1f, 0f);
        Check(random, false, true, 16, 150, 784, 1f, 0f);
        Check(random, true, false, 150, 784, 16, 1f, 0f);
        Check(random, true, false, 151, 151, 500, 1f, 0f);
        Check(random, false, true, 64, 10, 13, 1f, 1f);
    }

    /// <summary>Small blocking parameters push modest shapes through every blocking branch: k slices, row blocks,
    /// column blocks of packed B, threading of small products, and B read in place or packed.</summary>
    [TestMethod]
    [DataRow("Portable")]
    [DataRow("Avx2")]
    [DataRow("Avx512")]
    public void BlockingEdgeCases_MatchReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        UsePath(path);
        ParallelKernels.DegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        GemmDriver.KcTarget = 20;
        GemmDriver.McTarget = 24;
        GemmDriver.NcUnit = 40;
        GemmDriver.PackedBLimit = 3000;
        GemmDriver.ParallelThreshold = 0;
        var random = new Random(9);
        foreach (int directMaxK in new[] { 0, 1000 })
        {
            GemmDriver.DirectBMaxK = directMaxK;
            GemmDriver.DirectBMaxWork = 0;
            foreach (bool ta in Bools)
            {
                foreach (bool tb in Bools)
                {
                    Check(random, ta, tb, 65, 127, 71, 1f, 0.5f, 1, 2, 3);
                    Check(random, ta, tb, 7, 300, 45, 1f, 0f, 0, 1, 0, nanC: true);
                    Check(random, ta, tb, 100, 17, 3, 2f, 0f, 1, 0, 1);
                }
            }
        }
    }

    [TestMethod]
    public void SteadyStateCall_AllocatesNothing()
    {
        var random = new Random(2);
        foreach (int threads in new[] { 1, Math.Max(2, Environment.ProcessorCount) })
        {
            ParallelKernels.DegreeOfParallelism = threads;
            foreach ((int m, int n, int k) in new[] { (200, 300, 400), (32, 1000, 27), (1, 50, 60), (50, 1, 60), (8, 8, 8) })
            {
                foreach (bool tb in Bools)
                {
                    var a = Numerics.RandomArray(random, m * k);
                    var b = Numerics.RandomArray(random, n * k);
                    var c = new float[m * n];
                    Gemm.Sgemm(false, tb, m, n, k, 1f, a, k, b, tb ? k : n, 0f, c, n);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    Gemm.Sgemm(false, tb, m, n, k, 1f, a, k, b, tb ? k : n, 0f, c, n);
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    Assert.AreEqual(0L, allocated, $"Sgemm {m}×{n}×{k} transB={tb} on {threads} thread(s) allocated {allocated} bytes.");
                }
            }
        }
    }

    [TestMethod]
    public void DetectedPath_IsTheBestSupported()
    {
        Gemm.ForcePath(null);
        GemmPath expected = Gemm.IsSupported(GemmPath.Avx512) ? GemmPath.Avx512 : Gemm.IsSupported(GemmPath.Avx2) ? GemmPath.Avx2 : GemmPath.Portable;
        Assert.AreEqual(expected, Gemm.Path);
        Assert.AreEqual(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            Gemm.IsSupported(GemmPath.Avx512));
    }

    [TestMethod]
    public void BadArguments_ThrowNamingTheMatrix()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var e = Assert.ThrowsException<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, new float[5], 2, 0f, c, 2));
        StringAssert.Contains(e.Message, "B is stored as 3×2");
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        e = Assert.ThrowsException<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, new float[3], 2));
        StringAssert.Contains(e.Message, "C is stored as 2×2");
    }
}
