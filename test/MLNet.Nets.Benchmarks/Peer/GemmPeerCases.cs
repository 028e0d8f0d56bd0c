using MLNet.Nets.Kernels;

namespace MLNet.Nets.Benchmarks.Peer;

/// <summary>SGEMM cases compared with numpy (OpenBLAS): square products and im2col-shaped convolution products.</summary>
public sealed class GemmPeerCases : IPeerCaseFamily
{
    public IEnumerable<IPeerCase> Cases =>
    [
        new GemmCase("sgemm_256", 256, 256, 256),
        new GemmCase("sgemm_512", 512, 512, 512),
        new GemmCase("sgemm_1024", 1024, 1024, 1024),
        new GemmCase("sgemm_2048", 2048, 2048, 2048),
        // Weights [outC, C·kh·kw] × im2col columns [C·kh·kw, H·W]: a 3×3 stem on 112×112, a 1×1 expansion on 56×56.
        new GemmCase("gemm_im2col_32x12544x27", 32, 112 * 112, 27),
        new GemmCase("gemm_im2col_144x3136x24", 144, 56 * 56, 24),
    ];

    /// <summary>C[m×n] = A[m×k] · B[k×n], row-major, no transposes (numpy's <c>a @ b</c>).</summary>
    public sealed class GemmCase(string name, int m, int n, int k) : IPeerCase
    {
        private float[] _a = [], _b = [], _c = [];

        public string Name => name;

        public double Flops => 2.0 * m * n * k;

        public void Setup()
        {
            var random = new Random(42);
            _a = Fill(random, m * k);
            _b = Fill(random, k * n);
            _c = new float[m * n];
        }

        public void Run() => Gemm.Sgemm(false, false, m, n, k, 1f, _a, k, _b, n, 0f, _c, n);

        private static float[] Fill(Random random, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
            return x;
        }
    }
}
