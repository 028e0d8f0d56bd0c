namespace MLNet.Nets.Benchmarks.Peer;

/// <summary>
/// One operation timed against its Python peer by <c>build/bench/kernels.sh</c>. Any non-abstract class in this
/// assembly implementing it with a public parameterless constructor is a case; the Python script
/// <c>build/bench/peer/kernels.py</c> must define a case with the same <see cref="Name"/>.
/// </summary>
public interface IPeerCase
{
    /// <summary>The case name printed in the table, e.g. <c>sgemm_1024</c>; lower case, no spaces.</summary>
    string Name { get; }

    /// <summary>Floating-point operations of one <see cref="Run"/>, for GFLOP/s (a multiply-add counts 2).</summary>
    double Flops { get; }

    /// <summary>Allocates inputs and outputs (seeded random data); called once before timing.</summary>
    void Setup();

    /// <summary>Does the operation once; called repeatedly while timed.</summary>
    void Run();
}
