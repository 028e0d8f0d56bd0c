using MLNet.Nets.Kernels;

namespace MLNet.Nets.Tests.Kernels;

[TestClass]
public sealed class ParallelKernelsTests
{
    [TestCleanup]
    public void Restore() => ParallelKernels.DegreeOfParallelism = Environment.ProcessorCount;

    private struct CountBody(int[] hits) : IParallelBody
    {
        public readonly void Invoke(int index) => Interlocked.Increment(ref hits[index]);
    }

    [TestMethod]
    public void For_RunsEveryIndexExactlyOnce()
    {
        ParallelKernels.DegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        foreach (int count in new[] { 1, 2, 3, 17, 1000 })
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                var hits = new int[count];
                ParallelKernels.For(count, i => Interlocked.Increment(ref hits[i]));
                CollectionAssert.AreEqual(Enumerable.Repeat(1, count).ToArray(), hits, $"Action body, count {count}");
                hits = new int[count];
                ParallelKernels.For(count, new CountBody(hits));
                CollectionAssert.AreEqual(Enumerable.Repeat(1, count).ToArray(), hits, $"struct body, count {count}");
            }
        }
        ParallelKernels.For(0, _ => Assert.Fail("No item expected for count 0."));
    }

    [TestMethod]
    public void For_ReturnsOnlyAfterEveryItemHasFinished_OverManyBackToBackLoops()
    {
        // A kernel's loop body points into the caller's stack and buffers: if For returned while a worker was still in an
        // item, the next kernel would free or reuse memory under it (this once crashed the GEMM micro-kernel). Many short
        // loops in a row, with items of varying length, check that every item has finished when For returns.
        ParallelKernels.DegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        var finished = new int[2];
        var spins = new Random(1);
        for (int loop = 0; loop < 200_000; loop++)
        {
            int first = spins.Next(64), second = spins.Next(64);
            ParallelKernels.For(2, i =>
            {
                Thread.SpinWait(i == 0 ? first : second);
                Volatile.Write(ref finished[i], loop + 1);
            });
            if (finished[0] != loop + 1 || finished[1] != loop + 1)
            {
                Assert.Fail($"Loop {loop}: For returned before item {(finished[0] != loop + 1 ? 0 : 1)} had finished.");
            }
        }
    }

    [TestMethod]
    public void For_UsesSeveralThreads_AndOneWhenDegreeIsOne()
    {
        ParallelKernels.DegreeOfParallelism = 2;
        var threads = new HashSet<int>();
        for (int attempt = 0; attempt < 50 && threads.Count < 2; attempt++)
        {
            ParallelKernels.For(2, _ =>
            {
                lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                Thread.Sleep(20);
            });
        }
        Assert.AreEqual(2, threads.Count, "Two slow items on two threads should run on two threads.");

        ParallelKernels.DegreeOfParallelism = 1;
        int caller = Environment.CurrentManagedThreadId;
        ParallelKernels.For(10, _ => Assert.AreEqual(caller, Environment.CurrentManagedThreadId));
    }

    [TestMethod]
    public void For_PropagatesTheFirstException_AndStaysUsable()
    {
        ParallelKernels.DegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        var e = Assert.ThrowsException<InvalidOperationException>(() =>
            ParallelKernels.For(100, i => { if (i == 37) throw new InvalidOperationException("item 37"); }));
        Assert.AreEqual("item 37", e.Message);
        int sum = 0;
        ParallelKernels.For(100, i => Interlocked.Add(ref sum, i));
        Assert.AreEqual(4950, sum);
    }

    [TestMethod]
    public void For_NestedAndConcurrentCalls_Complete()
    {
        ParallelKernels.DegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        int total = 0;
        ParallelKernels.For(8, _ => ParallelKernels.For(10, j => Interlocked.Add(ref total, j)));
        Assert.AreEqual(8 * 45, total);

        total = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int r = 0; r < 50; r++) ParallelKernels.For(10, j => Interlocked.Add(ref total, j));
        })).ToArray();
        Task.WaitAll(callers);
        Assert.AreEqual(4 * 50 * 45, total);
    }

    [TestMethod]
    public void DegreeOfParallelism_RejectsZero()
    {
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ParallelKernels.DegreeOfParallelism = 0);
    }
}
