namespace MLNet.Nets.Kernels;

/// <summary>
/// The work of one index of a <see cref="ParallelKernels.For{TBody}(int, TBody)"/> loop, as a struct so that
/// the loop allocates nothing (a lambda passed as <see cref="Action{T}"/> allocates its closure on every call).
/// </summary>
/// <remarks>
/// The struct is shared by reference between the threads for the duration of the loop, so <see cref="Invoke"/>
/// must only read its fields (write results through the arrays or pointers it holds, each index to its own part).
/// </remarks>
public interface IParallelBody
{
    /// <summary>Does the work of item <paramref name="index"/> (0 ≤ index &lt; the loop's count).</summary>
    void Invoke(int index);
}
