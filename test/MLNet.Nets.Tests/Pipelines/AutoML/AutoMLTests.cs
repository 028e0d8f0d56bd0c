using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;

namespace MLNet.Nets.Tests.Pipelines.AutoML;

[TestClass]
public sealed class AutoMLTests
{
    [TestMethod]
    public unsafe void PeakMemoryIsPerTrial_SampledWhileItRuns()
    {
        // A "trial" that holds 256 MB for 200 ms reports it; the next one, after the memory is given back, does not.
        const long size = 256L << 20;
        long during, next;
        using (var memory = PeakMemory.Start())
        {
            long before = memory.Peak;
            byte* block = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)size);
            for (long i = 0; i < size; i += 4096) block[i] = 1;
            Thread.Sleep(200);
            System.Runtime.InteropServices.NativeMemory.Free(block);
            during = memory.Peak;
            Assert.IsTrue(during - before >= size * 9 / 10, $"a trial that touched 256 MB reports {(during - before) >> 20} MB more");
        }
        using (var memory = PeakMemory.Start())
        {
            Thread.Sleep(50);
            next = memory.Peak;
        }
        Assert.IsTrue(during - next >= size * 9 / 10, $"the next trial starts from {next >> 20} MB, not the earlier peak {during >> 20} MB");
    }

    [TestMethod]
    public void CostFrugalSearchBeatsRandomSearchOnASmoothObjective()
    {
        // Minimize the distance to a point away from the cheap start; average the best found over seeds.
        double Objective(double[] x) => x.Select(v => (v - 0.7) * (v - 0.7)).Sum();
        double Best(TunerKind kind, int seed)
        {
            var tuner = Tuner.Create(kind, 9, [0.25, 0.3, 0.3, 0.1, 0.1, 0.66, 0.4, 0.0, 0.25], seed);
            double best = double.PositiveInfinity;
            for (int i = 0; i < 80; i++)
            {
                var x = tuner.Propose();
                Assert.IsTrue(x.All(v => v is >= 0 and <= 1), "points stay in the unit cube");
                double f = Objective(x);
                tuner.Report(x, f);
                best = Math.Min(best, f);
            }
            return best;
        }
        double frugal = Enumerable.Range(0, 10).Average(s => Best(TunerKind.CostFrugal, s));
        double random = Enumerable.Range(0, 10).Average(s => Best(TunerKind.Random, s));
        Assert.IsTrue(frugal < random, $"cost-frugal {frugal} vs random {random}");
    }

    [TestMethod]
    public void RegressionExperimentRecordsTrialsRefitsTheBestAndWritesItsReport()
    {
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromTextFile(DataDirectory.Find("housing/housing.txt"));
        string folder = Path.Combine(Path.GetTempPath(), $"automl-{Guid.NewGuid():N}");
        var seen = new List<TrialResult>();
        var result = nets.Auto().CreateRegressionExperiment(new ExperimentSettings
        {
            MaxTrials = 8, MaxExperimentTimeInSeconds = 120, CrossValidationFolds = 1, ExperimentFolder = folder, OnTrialCompleted = seen.Add,
            OptimizingMetric = "RootMeanSquaredError",
        }).Execute(data, "MedianHomeValue");
        Assert.AreEqual(8, result.Trials.Count);
        Assert.AreEqual(8, seen.Count);
        Assert.IsFalse(result.HigherIsBetter);
        var best = result.BestRun!;
        Assert.AreEqual(result.Trials.Where(t => t.Succeeded).Min(t => t.Metric), best.Metric);
        Assert.IsTrue(best.Metric < 8, $"best holdout RMSE {best.Metric}");
        var scored = result.BestModel!.Transform(data);
        Assert.IsTrue(nets.Regression.Evaluate(scored, "MedianHomeValue").RootMeanSquaredError < 8);
        var csv = File.ReadAllLines(Path.Combine(folder, "trials.csv"));
        Assert.AreEqual(9, csv.Length, "header + one line per trial");
        StringAssert.StartsWith(File.ReadAllText(Path.Combine(folder, "progress.svg")), "<svg");
        Assert.AreEqual(0, Directory.GetFiles(folder, "*.tmp").Length);
        Assert.ThrowsException<ArgumentException>(() => nets.Auto().CreateRegressionExperiment(new ExperimentSettings { OptimizingMetric = "MicroAccuracy" }));
    }

    [TestMethod]
    public void CancellingReturnsTheBestSoFarAndFailedTrialsDoNotStopTheExperiment()
    {
        var nets = new NetsContext(0);
        var rows = Enumerable.Range(0, 300).Select(i => new Row { X = i % 17, Y = i % 3 == 0, Z = i == 5 ? float.NaN : i % 5 }).ToList();
        var data = nets.Data.LoadFromEnumerable(rows);
        using var cancel = new CancellationTokenSource();
        int count = 0;
        var result = nets.Auto().CreateBinaryClassificationExperiment(new ExperimentSettings
        {
            MaxTrials = 50, CrossValidationFolds = 1, CancellationToken = cancel.Token,
            OnTrialCompleted = t => { if (++count == 3) cancel.Cancel(); },
        }).Execute(data, "Y");
        // Every trial fails: feature Z holds a NaN, which the trainer rejects with a message naming the row.
        Assert.IsTrue(result.Trials.Count is >= 3 and <= 4, $"{result.Trials.Count} trials");
        Assert.IsTrue(result.Trials.Take(3).All(t => !t.Succeeded && t.Error!.Contains("row")), result.Trials[0].Error);
        Assert.IsTrue(result.WasCancelled);
        Assert.IsNull(result.BestRun);

        rows[5].Z = 1;
        count = 0;
        using var cancel2 = new CancellationTokenSource();
        var ok = nets.Auto().CreateBinaryClassificationExperiment(new ExperimentSettings
        {
            MaxTrials = 50, CrossValidationFolds = 1, CancellationToken = cancel2.Token, OnTrialCompleted = t => { if (++count == 3) cancel2.Cancel(); },
        }).Execute(nets.Data.LoadFromEnumerable(rows), "Y");
        Assert.IsTrue(ok.WasCancelled);
        Assert.IsNotNull(ok.BestRun);
        Assert.IsNotNull(ok.BestModel, "the best model so far is returned");
    }

    public sealed class Row
    {
        public float X { get; set; }
        public bool Y { get; set; }
        public float Z { get; set; }
    }
}
