namespace MLNet.Nets.Kernels;

/// <summary>Runs kernel work items on the cores. All kernels parallelise through this one place.</summary>
public static class ParallelKernels
{
    private static int _degree = Environment.ProcessorCount;

    /// <summary>How many threads kernels use; defaults to the number of cores. Set to 1 for single-threaded runs.</summary>
    public static int DegreeOfParallelism
    {
        get => _degree;
        set => _degree = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Must be at least 1.");
    }

    /// <summary>Calls <paramref name="body"/> for 0 .. <paramref name="count"/> - 1, spread over the threads.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || _degree == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _degree }, body);
    }
}
