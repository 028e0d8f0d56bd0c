namespace MLNet.Nets.AutoML;

/// <summary>
/// The peak resident memory of one trial: the process's working set sampled every 10 ms from <see cref="Start"/> to
/// <see cref="Dispose"/>. Sampling leaves process-wide counters alone (resetting the kernel's high-water mark would
/// change what <c>Process.PeakWorkingSet64</c> reports to everyone else); a peak shorter than the interval can be missed.
/// The sampler is a thread of its own, not a timer: a busy or starved thread pool (a trial's own parallel work, a loaded
/// machine) delayed timer callbacks past whole peaks.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private const int IntervalMilliseconds = 10;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _sampler;
    private long _peak;

    private PeakMemory()
    {
        _peak = Environment.WorkingSet;
        _sampler = new Thread(() =>
        {
            while (!_stop.Wait(IntervalMilliseconds)) Sample();
        }) { IsBackground = true, Name = "Trial memory sampler" };
        _sampler.Start();
    }

    /// <summary>Starts sampling.</summary>
    public static PeakMemory Start() => new();

    /// <summary>The largest working set seen so far, including now.</summary>
    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        long now = Environment.WorkingSet;
        long seen = Interlocked.Read(ref _peak);
        while (now > seen)
        {
            long previous = Interlocked.CompareExchange(ref _peak, now, seen);
            if (previous == seen) break;
            seen = previous;
        }
    }

    /// <summary>Stops sampling.</summary>
    public void Dispose()
    {
        _stop.Set();
        _sampler.Join();
        _stop.Dispose();
    }
}
