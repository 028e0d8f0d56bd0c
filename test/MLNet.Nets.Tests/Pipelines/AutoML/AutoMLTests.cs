using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Layers;
using MLNet.Nets.Trainers;

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
    public void CostFrugalSearchLearnsWhichChoiceOfADiscreteSettingIsGood()
    {
        // Coordinate 0 chooses among 3 options and only the last is good (the cheap start has the first); coordinate 1 is
        // continuous and nearly irrelevant. After 40 trials most proposals should pick the good option — random search
        // picks it a third of the time.
        int good = 0, total = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var tuner = Tuner.Create(TunerKind.CostFrugal, 2, [0.1, 0.5], seed, levels: [3, 0]);
            for (int i = 0; i < 60; i++)
            {
                var x = tuner.Propose();
                bool isGood = x[0] >= 2.0 / 3;
                tuner.Report(x, (isGood ? 0 : 1) + 0.01 * x[1]);
                if (i < 40) continue;
                total++;
                if (isGood) good++;
            }
        }
        Assert.IsTrue(good > 0.6 * total, $"{good} of {total} late proposals pick the good option");
    }

    [TestMethod]
    public void LevenbergMarquardtTrialsShrinkWithTheData()
    {
        // LM costs rows × weights² per epoch: 2,000 weights up to 1,000 rows, then the same cost (1,000 × 2,000²).
        Assert.AreEqual(2000, BackPropagationSearchSpace.LevenbergMarquardtLimit(506));
        Assert.AreEqual(632, BackPropagationSearchSpace.LevenbergMarquardtLimit(10_000));
        Assert.AreEqual(200, BackPropagationSearchSpace.LevenbergMarquardtLimit(100_000));
        // [16] tanh on 13 features: 14·16 + 17 = 241 weights — LM on housing, too many for LM on 100k rows.
        double[] x = [0.25, 0.6, 0.3, 0.1, 0.1, 0.66, 0.4, 0.0, 0.25, 0.25];
        var small = BackPropagationSearchSpace.Options(x, 13, 1, 506, "y", "Features", 0);
        var large = BackPropagationSearchSpace.Options(x, 13, 1, 100_000, "y", "Features", 0);
        CollectionAssert.AreEqual(new[] { 16 }, small.HiddenLayers);
        Assert.AreEqual(TrainingAlgorithm.LevenbergMarquardt, small.Algorithm);
        Assert.AreEqual(TrainingAlgorithm.Adam, large.Algorithm);
    }

    [TestMethod]
    public void DropoutIsSearchedForTheMiniBatchAlgorithmsOnly()
    {
        // Coordinate 4 picks the algorithm (LM, Adam, SGD by thirds), coordinate 9 the dropout (0 below the half, then
        // 0.05–0.5 linearly, to two decimals).
        BackPropagationOptions At(double algorithm, double dropout) =>
            BackPropagationSearchSpace.Options([0.25, 0.3, 0.3, 0.1, algorithm, 0.66, 0.4, 0.0, 0.25, dropout], 13, 1, 506, "y", "Features", 0);
        Assert.AreEqual(0f, At(0.5, 0.4).Dropout);
        Assert.AreEqual(0.05f, At(0.5, 0.5).Dropout);
        Assert.AreEqual(0.5f, At(0.5, 1.0).Dropout);
        Assert.AreEqual(0.28f, At(0.9, 0.75).Dropout); // 0.05 + 0.9 · 0.25 = 0.275 → 0.28 (SGD)
        var lm = At(0.1, 1.0);
        Assert.AreEqual(TrainingAlgorithm.LevenbergMarquardt, lm.Algorithm);
        Assert.AreEqual(0f, lm.Dropout, "LM trials never get dropout: the trainer rejects it");
        var adam = At(0.5, 1.0);
        StringAssert.EndsWith(BackPropagationSearchSpace.Describe(adam), ", dropout 0.5");
        Assert.AreEqual(0.5f, BackPropagationSearchSpace.Parameters(adam)["dropout"]);
        Assert.IsFalse(BackPropagationSearchSpace.Describe(lm).Contains("dropout"));
        Assert.AreEqual(0f, BackPropagationSearchSpace.Options(BackPropagationSearchSpace.CheapStart, 13, 1, 506, "y", "Features", 0).Dropout);
    }

    [TestMethod]
    public void APointOfTheSearchSpaceGivesTheConfigurationItWasMadeFrom()
    {
        BackPropagationOptions Options(double[] x) => BackPropagationSearchSpace.Options(x, 13, 1, 506, "y", "Features", 0);
        var sgd = Options(BackPropagationSearchSpace.Point([24, 8], Activation.Tanh, TrainingAlgorithm.Sgd, 500, l2: 2e-6f, learningRate: 0.076f, batchSize: 64, dropout: 0.3f));
        CollectionAssert.AreEqual(new[] { 24, 8 }, sgd.HiddenLayers);
        Assert.AreEqual(Activation.Tanh, sgd.HiddenActivation);
        Assert.AreEqual(TrainingAlgorithm.Sgd, sgd.Algorithm);
        Assert.AreEqual(0.076f, sgd.LearningRate!.Value, 1e-6f);
        Assert.AreEqual(64, sgd.BatchSize);
        Assert.AreEqual(500, sgd.MaxEpochs);
        Assert.AreEqual(2e-6f, sgd.L2, 1e-11f);
        Assert.AreEqual(0.3f, sgd.Dropout);
        var lm = Options(BackPropagationSearchSpace.Point([9], Activation.ReLU, TrainingAlgorithm.LevenbergMarquardt, 1000));
        Assert.AreEqual("hidden [9] ReLU, lm, ≤1000 epochs", BackPropagationSearchSpace.Describe(lm));
        // The regression portfolio, as build/portfolio/portfolio.sh printed it.
        CollectionAssert.AreEqual(new[]
        {
            "hidden [9] ReLU, lm, ≤1000 epochs, L2 5.7E-05",
            "hidden [24,8] Tanh, sgd lr 0.076 batch 64, ≤500 epochs, L2 2E-06",
            "hidden [8,4] ReLU, lm, ≤1000 epochs, L2 0.0082",
        }, BackPropagationSearchSpace.RegressionPortfolio.Select(x => BackPropagationSearchSpace.Describe(Options(x))).ToArray());
        Assert.ThrowsException<ArgumentException>(() => BackPropagationSearchSpace.Point([9], Activation.ReLU, TrainingAlgorithm.Adam, 300));
        Assert.ThrowsException<ArgumentException>(() => BackPropagationSearchSpace.Point([9], Activation.ReLU, TrainingAlgorithm.Adam, 100, batchSize: 48));
    }

    [TestMethod]
    public void CostFrugalSearchTriesThePortfolioFirstAndSearchesOnFromItsBest()
    {
        double[][] portfolio = [[0.1, 0.1], [0.8, 0.6], [0.5, 0.9]];
        for (int seed = 0; seed < 5; seed++)
        {
            var tuner = Tuner.Create(TunerKind.CostFrugal, 2, [0, 0], seed, portfolio: portfolio);
            foreach (var (member, score) in portfolio.Zip(new[] { 3.0, 1.0, 2.0 }))
            {
                var x = tuner.Propose();
                CollectionAssert.AreEqual(member, x);
                tuner.Report(x, score);
            }
            // The next proposal is the first local step: from the best member, one step (0.3) away.
            var step = tuner.Propose();
            double distance = Math.Sqrt(step.Zip(portfolio[1], (a, b) => (a - b) * (a - b)).Sum());
            Assert.IsTrue(distance is > 0 and <= 0.3 + 1e-12, $"seed {seed}: the first local step is {distance:F3} from the best member");
        }
        // Random search ignores it.
        Assert.IsFalse(portfolio.Any(p => p.SequenceEqual(Tuner.Create(TunerKind.Random, 2, [0, 0], 0, portfolio: portfolio).Propose())));
    }

    [TestMethod]
    public void RegressionExperimentsStartWithThePortfolioAndClassificationExperimentsWithTheCheapStart()
    {
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromTextFile(DataDirectory.Find("housing/housing.txt")).Cache();
        string Describe(double[] x) => BackPropagationSearchSpace.Describe(BackPropagationSearchSpace.Options(x, 13, 1, 506, "y", "Features", 0));
        var regression = nets.Auto().CreateRegressionExperiment(new ExperimentSettings { MaxTrials = 4, CrossValidationFolds = 1, EnsembleSize = 1 })
            .Execute(data, "MedianHomeValue");
        CollectionAssert.AreEqual(BackPropagationSearchSpace.RegressionPortfolio.Select(Describe).ToArray(), regression.Trials.Take(3).Select(t => t.Settings).ToArray());
        var names = data.Schema.Where(c => c.Name != "MedianHomeValue").Select(c => c.Name).ToArray();
        var x = nets.Transforms.Concatenate("Features", names).Fit(data).Transform(data).GetColumn<float>("Features");
        var y = data.GetColumn<float>("MedianHomeValue");
        var rows = Enumerable.Range(0, y.Length).Select(i => new ExpensiveRow { Features = x[(i * 13)..((i + 1) * 13)], Expensive = y[i] > 25 });
        var binary = nets.Auto().CreateBinaryClassificationExperiment(new ExperimentSettings { MaxTrials = 1, CrossValidationFolds = 1, EnsembleSize = 1 })
            .Execute(nets.Data.LoadFromEnumerable(rows), "Expensive", "Features");
        Assert.AreEqual(Describe(BackPropagationSearchSpace.CheapStart), binary.Trials.Single().Settings);
        // Above 10,000 rows a regression experiment starts cheap too.
        var many = Enumerable.Range(0, (int)BackPropagationSearchSpace.PortfolioRowLimit + 1).Select(i => new Row { X = i % 17, Z = i % 5 });
        var large = nets.Auto().CreateRegressionExperiment(new ExperimentSettings { MaxTrials = 1, CrossValidationFolds = 1, EnsembleSize = 1 })
            .Execute(nets.Data.LoadFromEnumerable(many), "X");
        Assert.AreEqual(Describe(BackPropagationSearchSpace.CheapStart), large.Trials.Single().Settings);
    }

    public sealed class ExpensiveRow
    {
        [VectorType(13)] public float[] Features { get; set; } = [];
        public bool Expensive { get; set; }
    }

    [TestMethod]
    public void ConsecutiveSeedsGiveIndependentTrials()
    {
        // The first point of random search for seeds 0–199: correlation between seeds s and s+1, s+2 near 0, coordinates
        // spread over [0, 1]. (.NET's seeded Random alone gives 0.73, 0.77, 0.82, 0.86 as the first draw of seeds 0, 2, 4, 6.)
        var first = Enumerable.Range(0, 200).Select(s => Tuner.Create(TunerKind.Random, 9, new double[9], s).Propose()).ToArray();
        for (int d = 0; d < 9; d++)
        {
            var v = first.Select(x => x[d]).ToArray();
            for (int lag = 1; lag <= 2; lag++)
            {
                double r = Correlation(v[..^lag], v[lag..]);
                Assert.IsTrue(Math.Abs(r) < 0.3, $"coordinate {d}: correlation {r:F2} between seeds s and s+{lag}");
            }
            Assert.IsTrue(v.Count(x => x < 0.5) is > 70 and < 130, $"coordinate {d}: {v.Count(x => x < 0.5)} of 200 below 0.5");
        }

        static double Correlation(double[] a, double[] b)
        {
            double ma = a.Average(), mb = b.Average();
            double ab = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
            return ab / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(x => (x - mb) * (x - mb)));
        }
    }

    [TestMethod]
    public void ConfigurationsThatTrainIdenticallyAreAnsweredFromTheEarlierTrial()
    {
        // Three configuration families × four epoch limits. Family 0's training ends on its own after 15 epochs; family
        // 1's would end on its own at epoch 20, so with the limit 20 both stops fall on the same epoch (it ends on its own
        // there too); family 2 always runs to the limit. With limits 20, 40 and 80, families 0 and 1 each train one
        // network: of the 2 + 2 + 4 different networks, none may be fitted twice, and the others are answered with the
        // earlier metric without costing a trial.
        var nets = new NetsContext(0);
        int[] limits = [10, 20, 40, 80];
        var fitted = new List<(int Family, int Epochs)>();
        var rows = nets.Data.LoadFromEnumerable(new[] { new Scored { Metric = 0 } });
        var runner = new ExperimentRunner<(int Family, int Limit)>
        {
            Settings = new ExperimentSettings { MaxTrials = 8, Tuner = TunerKind.Random, Seed = 5, MaxExperimentTimeInSeconds = 60 },
            MetricName = "M", HigherIsBetter = true, Dimensions = 2, CheapStart = [0, 0], Levels = [3, 4],
            Configure = x => (Math.Min(2, (int)(x[0] * 3)), limits[Math.Min(3, (int)(x[1] * 4))]),
            Describe = c => $"family {c.Family}, ≤{c.Limit} epochs",
            Parameters = _ => new Dictionary<string, object>(),
            EpochLimit = c => ($"family {c.Family}", c.Limit),
            SameNetworkFromLimit = model => ((FakeRun)model).EndedOnItsOwn ? ((FakeRun)model).Epochs : null,
            Estimator = (c, _) => c.Family switch
            {
                0 => new FakeTraining(0, Math.Min(15, c.Limit), c.Limit > 15, fitted, nets),
                1 => new FakeTraining(1, Math.Min(20, c.Limit), c.Limit >= 20, fitted, nets),
                _ => new FakeTraining(2, c.Limit, false, fitted, nets),
            },
            Evaluate = scored => scored.GetColumn<float>("Metric")[0],
        };
        var result = runner.Run(rows, [(rows, rows)]);
        // All 8 different networks within 8 trials only if no trial repeats one; then the best (family 2, 80 epochs) is
        // refitted on all the data.
        Assert.AreEqual(8, result.Trials.Count);
        Assert.AreEqual(9, fitted.Count);
        CollectionAssert.AllItemsAreUnique(fitted[..8], string.Join("; ", fitted));
        Assert.AreEqual((2, 80), fitted[8]);
        foreach (var t in result.Trials) Assert.AreEqual(fitted[t.Index].Family * 1000 + fitted[t.Index].Epochs, t.Metric, t.Settings);
    }

    private sealed class Scored
    {
        public float Metric { get; set; }
    }

    /// <summary>A "training" that records what it fitted and scores Family·1000 + epochs run.</summary>
    private sealed class FakeTraining(int family, int epochs, bool endedOnItsOwn, List<(int, int)> fitted, NetsContext nets) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input)
        {
            fitted.Add((family, epochs));
            return new FakeRun(epochs, endedOnItsOwn, nets.Data.LoadFromEnumerable(new[] { new Scored { Metric = family * 1000 + epochs } }));
        }
    }

    private sealed class FakeRun(int epochs, bool endedOnItsOwn, IDataView scored) : ITransformer
    {
        public int Epochs => epochs;
        public bool EndedOnItsOwn => endedOnItsOwn;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => scored.Schema;
        public IDataView Transform(IDataView input) => scored;
        public void Save(ModelSaveContext context) => throw new NotSupportedException("not saved in this test");
    }

    [TestMethod]
    public void AnEpochLimitFromTheKeptEpochOnTrainsTheSameNetworkWhenTrainingEndedOnItsOwn()
    {
        // The premise of answering such configurations from the earlier trial, for both training paths. A run that early
        // stopping ended keeps its best epoch's weights; with any limit from that epoch on, training runs the same epochs
        // up to there and keeps the same weights. At the epoch where it stopped, the run still says it ended on its own
        // (MATLAB reports the limit there, but a larger one would not have gone on); one epoch before the kept one is a
        // different network.
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromTextFile(DataDirectory.Find("housing/housing.txt"));
        var features = data.Schema.Where(c => c.Name != "MedianHomeValue").Select(c => c.Name).ToArray();
        foreach (var algorithm in new[] { TrainingAlgorithm.LevenbergMarquardt, TrainingAlgorithm.Adam })
        {
            ITransformer Fit(int limit) => nets.Transforms.Concatenate("Features", features)
                .Append(nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
                {
                    LabelColumnName = "MedianHomeValue", HiddenLayers = [5], Algorithm = algorithm, MaxEpochs = limit, Seed = 1,
                })).Fit(data);
            static BackPropagationTrainingSummary Summary(ITransformer model) => ((TransformerChain<BackPropagationPredictionTransformer>)model).LastTransformer.Model.Summary;
            float[] Scores(ITransformer model) => model.Transform(data).GetColumn<float>("Score");
            var long_ = Fit(1000);
            var summary = Summary(long_);
            int ran = summary.Epochs, kept = summary.BestEpoch;
            Assert.IsTrue(ran < 1000 && !summary.StoppedByEpochLimitOnly && summary.StopReason == "Validation stop.", $"{algorithm}: early stopping ended training ({summary})");
            Assert.IsTrue(kept is > 1 && kept < ran, $"{algorithm}: kept epoch {kept} of {ran}");
            Assert.AreEqual(kept, BackPropagationSearchSpace.SameNetworkFromLimit(long_), algorithm.ToString());

            var atStop = Fit(ran);
            Assert.IsFalse(Summary(atStop).StoppedByEpochLimitOnly, $"{algorithm}: validation would have stopped it at the limit too ({Summary(atStop)})");
            CollectionAssert.AreEqual(summary.ValidationLoss.ToArray(), Summary(atStop).ValidationLoss.ToArray(), algorithm.ToString());
            var atKept = Fit(kept);
            Assert.IsTrue(Summary(atKept).StoppedByEpochLimitOnly, algorithm.ToString());
            Assert.IsNull(BackPropagationSearchSpace.SameNetworkFromLimit(atKept), "the limit alone ended that run");
            CollectionAssert.AreEqual(Scores(long_), Scores(atKept), $"{algorithm}: the limit {kept} trains the same network");
            CollectionAssert.AreNotEqual(Scores(long_), Scores(Fit(kept - 1)), $"{algorithm}: a limit below the kept epoch does not");
        }
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
        // The refit averages five networks of the best configuration: its hidden layers, five times as wide.
        var bp = ((IEnumerable<ITransformer>)result.BestModel).OfType<BackPropagationPredictionTransformer>().Single().Model;
        Assert.AreEqual(TabularExperiment.DefaultEnsembleSize, bp.EnsembleSize);
        var hidden = ((string)best.Parameters["hidden"]).Split(',').Select(int.Parse);
        CollectionAssert.AreEqual(hidden.Select(h => 5 * h).ToArray(), bp.Network.Layers.SkipLast(1).Cast<MLNet.Nets.Layers.Dense>().Select(l => l.Units).ToArray());
        var csv = File.ReadAllLines(Path.Combine(folder, "trials.csv"));
        Assert.AreEqual(9, csv.Length, "header + one line per trial");
        StringAssert.StartsWith(File.ReadAllText(Path.Combine(folder, "progress.svg")), "<svg");
        Assert.AreEqual(0, Directory.GetFiles(folder, "*.tmp").Length);
        Assert.ThrowsException<ArgumentException>(() => nets.Auto().CreateRegressionExperiment(new ExperimentSettings { OptimizingMetric = "MicroAccuracy" }));
    }

    [TestMethod]
    public void EachFoldTrainsWithASeedOfItsOwnAndTheRefitWithTheExperimentSeed()
    {
        // The first cost-frugal trial of a regression experiment is the portfolio's first configuration. By hand: its network
        // on each of the experiment's folds, with the experiment's seed on fold 0 and seeds derived from it on the others;
        // the refit (one network) with the seed itself.
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromTextFile(DataDirectory.Find("housing/housing.txt")).Cache();
        const int seed = 4;
        var result = nets.Auto().CreateRegressionExperiment(new ExperimentSettings { MaxTrials = 1, CrossValidationFolds = 3, Seed = seed, EnsembleSize = 1 })
            .Execute(data, "MedianHomeValue");
        var trial = result.Trials.Single();
        var features = data.Schema.Where(c => c.Name != "MedianHomeValue").Select(c => c.Name).ToArray();
        ITransformer Fit(IDataView rows, int networkSeed)
        {
            var options = BackPropagationSearchSpace.Options(BackPropagationSearchSpace.RegressionPortfolio[0], 13, 1, 506, "MedianHomeValue", "Features", networkSeed);
            Assert.AreEqual(BackPropagationSearchSpace.Describe(options), trial.Settings);
            return nets.Transforms.Concatenate("Features", features).Append(nets.Regression.Trainers.BackPropagation(options)).Fit(rows);
        }
        var folds = ExperimentRunner.Folds(nets, data, 3, null, seed);
        double RSquared(int fold, int networkSeed) =>
            nets.Regression.Evaluate(Fit(folds[fold].Train, networkSeed).Transform(folds[fold].Test), "MedianHomeValue").RSquared;
        for (int fold = 0; fold < 3; fold++)
        {
            Assert.AreEqual(RSquared(fold, fold == 0 ? seed : MLNet.Nets.Training.Seeds.Combine(seed, fold)), trial.FoldMetrics[fold], 1e-12, $"fold {fold}");
        }
        Assert.AreNotEqual(RSquared(1, seed), trial.FoldMetrics[1], "with the experiment's seed fold 1 would score otherwise");
        CollectionAssert.AreEqual(Fit(data, seed).Transform(data).GetColumn<float>("Score"), result.BestModel!.Transform(data).GetColumn<float>("Score"));
    }

    public sealed class BandRow
    {
        [VectorType(13)] public float[] Features { get; set; } = [];
        public string Band { get; set; } = "";
    }

    [TestMethod]
    public void MulticlassExperimentRefitsAnAveragedClassifierThatPredictsTheLabelsValues()
    {
        var nets = new NetsContext(0);
        var housing = nets.Data.LoadFromTextFile(DataDirectory.Find("housing/housing.txt"));
        var names = housing.Schema.Where(c => c.Name != "MedianHomeValue").Select(c => c.Name).ToArray();
        var x = nets.Transforms.Concatenate("Features", names).Fit(housing).Transform(housing).GetColumn<float>("Features");
        var y = housing.GetColumn<float>("MedianHomeValue");
        var rows = Enumerable.Range(0, y.Length).Select(i => new BandRow
        {
            Features = x[(i * 13)..((i + 1) * 13)], Band = y[i] < 18 ? "low" : y[i] < 25 ? "mid" : "high",
        }).ToList();
        var split = nets.Data.TrainTestSplit(nets.Data.LoadFromEnumerable(rows), 0.25, "Band", seed: 1);
        var result = nets.Auto().CreateMulticlassClassificationExperiment(new ExperimentSettings { MaxTrials = 3, CrossValidationFolds = 2 })
            .Execute(split.TrainSet, "Band", "Features");
        Assert.AreEqual(3, result.Trials.Count(t => t.Succeeded), string.Join("; ", result.Trials.Select(t => t.Error)));
        var bp = ((IEnumerable<ITransformer>)result.BestModel!).OfType<BackPropagationPredictionTransformer>().Single().Model;
        Assert.AreEqual(TabularExperiment.DefaultEnsembleSize, bp.EnsembleSize);
        var scored = result.BestModel!.Transform(split.TestSet);
        var predicted = scored.GetColumn<string>("PredictedLabel");
        var truth = split.TestSet.GetColumn<string>("Band");
        double accuracy = predicted.Zip(truth, (p, t) => p == t ? 1.0 : 0.0).Average();
        Assert.IsTrue(accuracy > 0.65, $"test accuracy {accuracy} (chance: about 0.4)");
    }

    [TestMethod]
    public void TheRefitEnsembleSizeIsASettingAndImageExperimentsRefitOneNetwork()
    {
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromTextFile(DataDirectory.Find("housing/housing.txt"));
        var result = nets.Auto().CreateRegressionExperiment(new ExperimentSettings { MaxTrials = 2, CrossValidationFolds = 1, EnsembleSize = 1 })
            .Execute(data, "MedianHomeValue");
        Assert.AreEqual(1, ((IEnumerable<ITransformer>)result.BestModel!).OfType<BackPropagationPredictionTransformer>().Single().Model.EnsembleSize);
        foreach (int bad in new[] { 0, 101 })
        {
            var e = Assert.ThrowsException<ArgumentOutOfRangeException>(() => nets.Auto().CreateRegressionExperiment(new ExperimentSettings { EnsembleSize = bad }));
            StringAssert.Contains(e.Message, "EnsembleSize must be in [1, 100]");
        }
        var image = Assert.ThrowsException<ArgumentException>(() =>
            nets.Auto().CreateImageClassificationExperiment(new ImageClassificationExperimentSettings { EnsembleSize = 2 }));
        StringAssert.Contains(image.Message, "image experiment refits one network");
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
