using System.Runtime.ExceptionServices;

namespace MLNet.Nets.Images;

/// <summary>Runs per-row image work on all cores; the first failure surfaces as itself (not wrapped in an AggregateException).</summary>
internal static class ParallelRows
{
    public static void For(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
