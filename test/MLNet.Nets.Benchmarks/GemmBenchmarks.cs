using BenchmarkDotNet.Attributes;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Benchmarks;

/// <summary>Square SGEMM, C = A·B, on all cores; GFLOP/s = 2·N³ / time.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [Params(false, true)]
    public bool TransB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = new float[N * N];
        _b = new float[N * N];
        _c = new float[N * N];
        for (int i = 0; i < _a.Length; i++) { _a[i] = (float)random.NextDouble() - 0.5f; _b[i] = (float)random.NextDouble() - 0.5f; }
    }

    [Benchmark]
    public void Sgemm() => Gemm.Sgemm(false, TransB, N, N, N, 1f, _a, N, _b, N, 0f, _c, N);
}
