using BenchmarkDotNet.Running;
using MLNet.Nets.Benchmarks.Peer;

namespace MLNet.Nets.Benchmarks;

internal static class Program
{
    /// <summary>
    /// <c>peer [regex]</c> runs the peer-comparison cases (see build/bench/kernels.sh); anything else goes to
    /// BenchmarkDotNet, e.g. <c>--filter *Gemm*</c>.
    /// </summary>
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "peer") return PeerRunner.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
