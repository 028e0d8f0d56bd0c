using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MLNet.Nets.Kernels;

/// <summary>Runs kernel work items on the cores. All kernels parallelise through this one place.</summary>
/// <remarks>
/// A persistent team of background worker threads sleeps on a semaphore between loops; the calling thread
/// takes part in every loop. Waking a parked thread costs microseconds where <see cref="Parallel.For(int, int, Action{int})"/>
/// costs tens, which matters for kernels that take a millisecond. Items are handed out one at a time from a
/// shared counter, so a thread slowed down by other processes simply takes fewer items.
/// A loop started from inside another loop's body, or while another thread's loop holds the team, runs
/// serially on the calling thread (the cores are busy anyway), so nesting is safe.
/// </remarks>
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
    /// <remarks>Returns when every item is done; the first exception thrown by an item is rethrown here.</remarks>
    public static void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        For(count, new ActionBody(body));
    }

    /// <summary>
    /// Calls <paramref name="body"/>.<see cref="IParallelBody.Invoke"/> for 0 .. <paramref name="count"/> - 1,
    /// spread over the threads, without allocating.
    /// </summary>
    /// <typeparam name="TBody">A struct carrying the loop's inputs and outputs.</typeparam>
    /// <remarks>Returns when every item is done; the first exception thrown by an item is rethrown here.</remarks>
    public static unsafe void For<TBody>(int count, TBody body) where TBody : struct, IParallelBody
    {
        if (count <= 0) return;
        int threads = Math.Min(_degree, count);
        if (threads <= 1 || !Team.TryRun(count, threads - 1, &InvokeBody<TBody>, Unsafe.AsPointer(ref body)))
        {
            for (int i = 0; i < count; i++) body.Invoke(i);
        }
    }

    private static unsafe void InvokeBody<TBody>(void* state, int index) where TBody : struct, IParallelBody
        => Unsafe.AsRef<TBody>(state).Invoke(index);

    private readonly struct ActionBody(Action<int> action) : IParallelBody
    {
        public void Invoke(int index) => action(index);
    }

    /// <summary>The persistent worker threads and the one loop they are running.</summary>
    private static unsafe class Team
    {
        private static readonly object Gate = new();
        private static readonly SemaphoreSlim Wake = new(0);
        private static readonly ManualResetEventSlim Done = new(false, 200);
        private static int _workers;
        private static int _busy;

        // The current loop; written by the owner before workers are released, read by them after.
        private static delegate*<void*, int, void> _function;
        private static void* _state;
        private static int _count;
        private static int _next;
        private static int _pending;
        private static ExceptionDispatchInfo? _error;

        [ThreadStatic] private static bool _isWorker;

        /// <summary>Runs the loop with up to <paramref name="helpers"/> workers besides the caller; false if the team is taken.</summary>
        public static bool TryRun(int count, int helpers, delegate*<void*, int, void> function, void* state)
        {
            if (_isWorker || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
            try
            {
                EnsureWorkers(helpers);
                _function = function;
                _state = state;
                _count = count;
                _next = 0;
                _error = null;
                _pending = helpers;
                Done.Reset();
                Wake.Release(helpers);
                RunItems();
                // Completion is _pending reaching 0, not the event: a worker of the previous loop may decrement _pending
                // and only then Set the event, after this loop's Reset, so a set event alone does not mean this loop is
                // done (returning early let a worker run on with the caller's freed stack and buffers).
                while (Volatile.Read(ref _pending) != 0)
                {
                    Done.Wait();
                    if (Volatile.Read(ref _pending) != 0) Done.Reset();
                }
                _error?.Throw();
                return true;
            }
            finally
            {
                _function = null;
                _state = null;
                _error = null;
                Volatile.Write(ref _busy, 0);
            }
        }

        private static void RunItems()
        {
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref _next) - 1) < _count) _function(_state, i);
            }
            catch (Exception e)
            {
                // Stop handing out items, keep the first error.
                Volatile.Write(ref _next, int.MaxValue / 2);
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
        }

        private static void EnsureWorkers(int helpers)
        {
            if (Volatile.Read(ref _workers) >= helpers) return;
            lock (Gate)
            {
                while (_workers < helpers)
                {
                    var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNet.Nets kernel worker {_workers + 1}" };
                    thread.Start();
                    _workers++;
                }
            }
        }

        private static void WorkerLoop()
        {
            _isWorker = true;
            while (true)
            {
                Wake.Wait();
                RunItems();
                if (Interlocked.Decrement(ref _pending) == 0) Done.Set();
            }
        }
    }
}
