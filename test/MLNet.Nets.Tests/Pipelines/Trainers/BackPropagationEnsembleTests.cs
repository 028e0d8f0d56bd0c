using MLNet.Nets.Data;
using MLNet.Nets.Layers;
using MLNet.Nets.Trainers;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Pipelines.Trainers;

[TestClass]
public sealed class BackPropagationEnsembleTests
{
    private static IDataView Housing(NetsContext nets) => BackPropagationTrainerTests.Housing(nets);

    private static IDataView Expensive(NetsContext nets) => nets.Data.LoadFromEnumerable(BackPropagationTrainerTests.ClassRows(Housing(nets)));

    /// <summary>The seeds of an ensemble's networks: the option's, then ones derived from it.</summary>
    private static int MemberSeed(int seed, int k) => k == 0 ? seed : Seeds.Combine(seed, k);

    [TestMethod]
    public void AnEnsemblePredictsTheMeanOfTheNetworksThatSeparateFitsWithItsSeedsTrain()
    {
        var nets = new NetsContext(0);
        var data = Housing(nets);
        const int seed = 7, size = 3;
        BackPropagationOptions Options(int s, int ensemble) => new()
        {
            LabelColumnName = "MedianHomeValue", HiddenLayers = [6, 4], MaxEpochs = 30, Seed = s, EnsembleSize = ensemble,
        };
        var ensemble = nets.Regression.Trainers.BackPropagation(Options(seed, size)).Fit(data);
        var singles = Enumerable.Range(0, size).Select(k => nets.Regression.Trainers.BackPropagation(Options(MemberSeed(seed, k), 1)).Fit(data)).ToArray();

        var scores = ensemble.Transform(data).GetColumn<float>("Score");
        var each = singles.Select(m => m.Transform(data).GetColumn<float>("Score")).ToArray();
        for (int r = 0; r < scores.Length; r++)
        {
            double mean = each.Average(s => (double)s[r]);
            Assert.AreEqual(mean, scores[r], 1e-4 * Math.Max(1, Math.Abs(mean)), $"row {r}");
        }
        // The networks differ (else the test would not show averaging), and the model says what it is.
        Assert.IsTrue(each[1].Zip(each[0]).Any(p => Math.Abs(p.First - p.Second) > 0.1f));
        var model = ensemble.Model;
        Assert.AreEqual(size, model.EnsembleSize);
        CollectionAssert.AreEqual(new[] { 18, 12, 1 }, model.Network.Layers.Cast<Dense>().Select(l => l.Units).ToArray());
        CollectionAssert.AreEqual(singles[0].Model.Summary.ValidationLoss.ToArray(), model.Summary.ValidationLoss.ToArray(), "the summary is the first network's");
        Assert.AreEqual(singles[0].Model.Summary.BestEpoch, model.Summary.BestEpoch);
        Assert.AreEqual(1, singles[0].Model.EnsembleSize);
    }

    [TestMethod]
    public void ClassifierEnsemblesAverageTheLogits()
    {
        // Adam outputs logits; Levenberg–Marquardt outputs logsig probabilities, whose logits are averaged before the logsig.
        foreach (var algorithm in new[] { TrainingAlgorithm.Adam, TrainingAlgorithm.LevenbergMarquardt })
        {
            var nets = new NetsContext(1);
            var data = Expensive(nets);
            BackPropagationOptions Options(int s, int ensemble) => new()
            {
                LabelColumnName = "Expensive", HiddenLayers = [5], Algorithm = algorithm, MaxEpochs = 40, Seed = s, EnsembleSize = ensemble,
            };
            var p = nets.BinaryClassification.Trainers.BackPropagation(Options(3, 2)).Fit(data).Transform(data).GetColumn<float>("Probability");
            var each = Enumerable.Range(0, 2)
                .Select(k => nets.BinaryClassification.Trainers.BackPropagation(Options(MemberSeed(3, k), 1)).Fit(data).Transform(data).GetColumn<float>("Probability"))
                .ToArray();
            static double Logit(double q) => Math.Log(q / (1 - q));
            int compared = 0;
            for (int r = 0; r < p.Length; r++)
            {
                // Probabilities within float precision of 0 or 1 have no recoverable logit.
                if (each.Any(e => e[r] is < 1e-4f or > 1 - 1e-4f)) continue;
                double expected = 1 / (1 + Math.Exp(-(Logit(each[0][r]) + Logit(each[1][r])) / 2));
                Assert.AreEqual(expected, p[r], 2e-4, $"{algorithm}, row {r}");
                compared++;
            }
            Assert.IsTrue(compared > p.Length / 2, $"{algorithm}: {compared} rows compared");
        }
    }

    [TestMethod]
    public void AnEnsembleSavesAndLoadsWithBitIdenticalPredictions()
    {
        var nets = new NetsContext(2);
        var data = Housing(nets);
        var fitted = nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
        {
            LabelColumnName = "MedianHomeValue", HiddenLayers = [8], Algorithm = TrainingAlgorithm.Adam, MaxEpochs = 20, Dropout = 0.2f,
            EnsembleSize = 4, Seed = 1,
        }).Fit(data);
        var loaded = (BackPropagationPredictionTransformer)BackPropagationTrainerTests.Reloaded(nets, fitted, data.Schema);
        Assert.AreEqual(4, loaded.Model.EnsembleSize);
        Assert.AreEqual(32, ((Dense)loaded.Model.Network.Layers[0]).Units);
        CollectionAssert.AreEqual(fitted.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
    }

    [TestMethod]
    public void ProgressNamesTheNetworkAndBadSizesAreRejected()
    {
        var nets = new NetsContext(3);
        var reports = new List<BackPropagationProgress>();
        nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
        {
            LabelColumnName = "MedianHomeValue", HiddenLayers = [3], MaxEpochs = 4, ValidationFraction = 0, EnsembleSize = 3, Seed = 0,
            Progress = new Collect(reports),
        }).Fit(Housing(nets));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, reports.Select(r => r.Network).Distinct().ToArray());
        Assert.IsTrue(reports.All(r => r.EnsembleSize == 3));
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, reports.Where(r => r.Network == 2).Select(r => r.Epoch).ToArray(), "each network counts its own epochs");
        StringAssert.StartsWith(reports[^1].ToString(), "network 3/3 epoch 4/4");
        foreach (int bad in new[] { 0, -1, 101 })
        {
            var e = Assert.ThrowsException<ArgumentOutOfRangeException>(() =>
                nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { EnsembleSize = bad }));
            StringAssert.Contains(e.Message, "EnsembleSize must be in [1, 100]");
        }
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Collect(List<BackPropagationProgress> reports) : IProgress<BackPropagationProgress>
    {
        public void Report(BackPropagationProgress value) => reports.Add(value);
    }
}
