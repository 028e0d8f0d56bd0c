using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Trainers;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Pipelines.Trainers;

[TestClass]
public sealed class BackPropagationTrainerTests
{
    public sealed class HousingRow
    {
        [LoadColumn(0)] public float MedianHomeValue { get; set; }
        [LoadColumn(1, 13), VectorType(13)] public float[] Features { get; set; } = [];
    }

    public sealed class ClassRow
    {
        [VectorType(13)] public float[] Features { get; set; } = [];
        public bool Expensive { get; set; }
        [KeyType(3)] public uint Band { get; set; }
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }

    internal static IDataView Housing(NetsContext nets) =>
        nets.Data.LoadFromTextFile<HousingRow>(DataDirectory.Find("housing/housing.txt"), '\t', hasHeader: true);

    [TestMethod]
    public void LevenbergMarquardtPipelineEqualsTheEngineOnTheSameDivision()
    {
        var nets = new NetsContext(0);
        var data = Housing(nets);
        var options = new BackPropagationOptions { LabelColumnName = "MedianHomeValue", HiddenLayers = [6], MaxEpochs = 40, Seed = 7 };
        var model = nets.Regression.Trainers.BackPropagation(options).Fit(data);
        var scores = model.Transform(data).GetColumn<float>("Score");

        // The engine, by hand: same seed, same validation rows (15 % drawn by the same permutation), same defaults.
        var x = data.GetColumn<float>("Features");
        var y = data.GetColumn<float>("MedianHomeValue");
        int n = y.Length;
        var order = DataDivision.Permutation(n, 7);
        int v = (int)Math.Round(0.15 * n);
        var net = FeedForwardNetwork.Create(13, [6], 1, seed: 7);
        net.Train(new Tensor(x, n, 13), new Tensor(y, n, 1), new LevenbergMarquardt(new LevenbergMarquardtOptions { Epochs = 40 }),
            DataDivision.FromIndices(n, order[v..].Order(), order[..v].Order()));
        var expected = net.Predict(new Tensor(x, n, 13)).Span.ToArray();
        // The pipeline scores rows in double precision; the engine's Predict runs the float GEMM.
        for (int i = 0; i < n; i++) Assert.AreEqual(expected[i], scores[i], 2e-5 * Math.Abs(expected[i]) + 1e-5, $"row {i}");
        Assert.AreEqual(PredictionKind.Regression, model.Model.Kind);
        Assert.IsTrue(model.Model.Summary.Epochs > 0);
    }

    [TestMethod]
    public void RegressionModelSavesAndLoadsWithBitIdenticalPredictions()
    {
        var nets = new NetsContext(1);
        var data = Housing(nets);
        var split = nets.Data.TrainTestSplit(data, 0.2, seed: 1);
        var model = nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "MedianHomeValue", MaxEpochs = 100 }).Fit(split.TrainSet);
        var before = model.Transform(split.TestSet).GetColumn<float>("Score");
        var labels = split.TestSet.GetColumn<float>("MedianHomeValue");
        double rmse = Math.Sqrt(before.Zip(labels, (p, t) => (double)(p - t) * (p - t)).Average());
        Assert.IsTrue(rmse < 6, $"test RMSE {rmse}");

        string path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        var loaded = nets.Model.Load(path, out var schema);
        Assert.AreEqual("Features", schema!["Features"].Name);
        var after = loaded.Transform(split.TestSet).GetColumn<float>("Score");
        CollectionAssert.AreEqual(before, after);

        var engine = nets.Model.CreatePredictionEngine<HousingRow, Prediction>(loaded, schema);
        var first = nets.Data.CreateEnumerable<HousingRow>(split.TestSet).First();
        Assert.AreEqual(before[0], engine.Predict(first).Score); // bit-identical alone or in a batch
        var pool = nets.Model.CreatePredictionEnginePool<HousingRow, Prediction>(loaded, schema);
        var rows = nets.Data.CreateEnumerable<HousingRow>(split.TestSet).ToArray();
        var parallel = new float[rows.Length];
        Parallel.For(0, rows.Length, i => parallel[i] = pool.Predict(rows[i]).Score);
        CollectionAssert.AreEqual(before, parallel);

        // The training record survives too, including whether the epoch limit alone stopped training.
        foreach (int limit in new[] { 3, 100 })
        {
            var fitted = nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "MedianHomeValue", MaxEpochs = limit }).Fit(split.TrainSet);
            nets.Model.Save(fitted, data.Schema, path);
            var summary = ((BackPropagationPredictionTransformer)nets.Model.Load(path, out _)).Model.Summary;
            Assert.AreEqual(fitted.Model.Summary.ToString(), summary.ToString());
            Assert.AreEqual(limit == 3, summary.StoppedByEpochLimitOnly, summary.ToString());
        }
    }

    internal static List<ClassRow> ClassRows(IDataView housing)
    {
        var x = housing.GetColumn<float>("Features");
        var y = housing.GetColumn<float>("MedianHomeValue");
        return Enumerable.Range(0, y.Length).Select(i => new ClassRow
        {
            Features = x[(i * 13)..((i + 1) * 13)],
            Expensive = y[i] > 25,
            Band = y[i] < 18 ? 1u : y[i] < 25 ? 2u : 3u,
        }).ToList();
    }

    [TestMethod]
    public void BinaryClassifierGivesCalibratedProbabilityAndLabel()
    {
        foreach (var algorithm in new[] { TrainingAlgorithm.Adam, TrainingAlgorithm.LevenbergMarquardt })
        {
            var nets = new NetsContext(2);
            var data = nets.Data.LoadFromEnumerable(ClassRows(Housing(nets)));
            var split = nets.Data.TrainTestSplit(data, 0.25, seed: 3);
            var model = nets.BinaryClassification.Trainers.BackPropagation(new BackPropagationOptions
            {
                LabelColumnName = "Expensive", Algorithm = algorithm, MaxEpochs = algorithm == TrainingAlgorithm.Adam ? 200 : 50, Seed = 4,
            }).Fit(split.TrainSet);
            var scored = model.Transform(split.TestSet);
            var p = scored.GetColumn<float>("Probability");
            var s = scored.GetColumn<float>("Score");
            var predicted = scored.GetColumn<bool>("PredictedLabel");
            var truth = scored.GetColumn<bool>("Expensive");
            for (int i = 0; i < p.Length; i++)
            {
                Assert.AreEqual(1 / (1 + Math.Exp(-s[i])), p[i], 2e-5, $"{algorithm}: probability is the sigmoid of the score");
                Assert.AreEqual(p[i] >= 0.5f, predicted[i]);
            }
            double accuracy = predicted.Zip(truth, (a, b) => a == b ? 1.0 : 0.0).Average();
            Assert.IsTrue(accuracy > 0.82, $"{algorithm}: accuracy {accuracy}");
        }
    }

    [TestMethod]
    public void MulticlassClassifierScoresSumToOneAndPredictedKeyIsArgmax()
    {
        var nets = new NetsContext(5);
        var data = nets.Data.LoadFromEnumerable(ClassRows(Housing(nets)));
        var split = nets.Data.TrainTestSplit(data, 0.25, seed: 6);
        var model = nets.MulticlassClassification.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "Band", MaxEpochs = 300, Seed = 1 }).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        Assert.AreEqual(new KeyDataViewType(3), scored.Schema["PredictedLabel"].Type);
        var score = scored.GetColumn<float>("Score");
        var predicted = scored.GetColumn<uint>("PredictedLabel");
        var truth = scored.GetColumn<uint>("Band");
        for (int r = 0; r < predicted.Length; r++)
        {
            var row = score.AsSpan(r * 3, 3);
            Assert.AreEqual(1.0, row[0] + row[1] + row[2], 1e-5);
            Assert.AreEqual((uint)row.IndexOf(MathF.Max(row[0], MathF.Max(row[1], row[2]))) + 1, predicted[r]);
        }
        double accuracy = predicted.Zip(truth, (a, b) => a == b ? 1.0 : 0.0).Average();
        Assert.IsTrue(accuracy > 0.7, $"accuracy {accuracy}");

        string path = Path.Combine(Path.GetTempPath(), $"bp-mc-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        var loaded = nets.Model.Load(path, out _);
        CollectionAssert.AreEqual(score, loaded.Transform(split.TestSet).GetColumn<float>("Score"));
    }

    /// <summary>Housing as tensors in the trainer's row order: features [506, 13] and the label [506, 1].</summary>
    private static (Tensor X, Tensor Y) HousingTensors(NetsContext nets, IDataView data)
    {
        var rows = nets.Data.CreateEnumerable<HousingRow>(data).ToArray();
        return (new Tensor(rows.SelectMany(r => r.Features).ToArray(), rows.Length, 13), new Tensor(rows.Select(r => r.MedianHomeValue).ToArray(), rows.Length, 1));
    }

    /// <summary>Mean squared error of the model's predictions on <paramref name="rows"/>, in the label scaling it trains on.</summary>
    private static double ScaledMse(BackPropagationModel model, Tensor x, Tensor y, IReadOnlyList<int> rows)
    {
        var p = model.OutputScaler!.Transform(model.Predict(DataDivision.TakeRows(x, rows))).Span;
        var t = model.OutputScaler.Transform(DataDivision.TakeRows(y, rows)).Span;
        double sum = 0;
        for (int i = 0; i < t.Length; i++) sum += (double)(p[i] - t[i]) * (p[i] - t[i]);
        return sum / t.Length;
    }

    [TestMethod]
    public void DropoutDropsUnitsInTrainingButNeverInPrediction()
    {
        var nets = new NetsContext(0);
        var data = Housing(nets);
        var (x, y) = HousingTensors(nets, data);
        var all = Enumerable.Range(0, x.Dim(0)).ToArray();
        // Without validation every row trains, and the last epoch's weights are the model's. The loss an epoch records is
        // the mean over its steps, with dropout's masks on; the same weights without masks fit the rows much better.
        double RecordedOverClean(float dropout)
        {
            var model = nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
            {
                LabelColumnName = "MedianHomeValue", HiddenLayers = [64], HiddenActivation = Activation.ReLU, Algorithm = TrainingAlgorithm.Adam,
                LearningRate = 3e-3f, MaxEpochs = 60, ValidationFraction = 0, Dropout = dropout, Seed = 5,
            }).Fit(data).Model;
            Assert.IsTrue(model.Network.Layers.All(l => l is Dense), "the model keeps only the Dense layers");
            CollectionAssert.AreEqual(model.Predict(x).Span.ToArray(), model.Predict(x).Span.ToArray(), "prediction does not drop");
            return model.Summary.Loss[^1] / ScaledMse(model, x, y, all);
        }
        double plain = RecordedOverClean(0), dropped = RecordedOverClean(0.5f);
        Assert.IsTrue(plain is > 0.8 and < 1.25, $"without dropout the recorded loss is the clean one up to the steps within the epoch: ratio {plain}");
        Assert.IsTrue(dropped > 1.3, $"with dropout 0.5 the recorded loss must be well above the clean one: ratio {dropped} (1.56 when written)");
    }

    [TestMethod]
    public void DropoutValidatesWithoutMasksAndKeepsTheBestEpoch()
    {
        var nets = new NetsContext(0);
        var data = Housing(nets);
        var (x, y) = HousingTensors(nets, data);
        const int seed = 11;
        var fitted = nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
        {
            LabelColumnName = "MedianHomeValue", HiddenLayers = [32, 16], Algorithm = TrainingAlgorithm.Sgd, LearningRate = 0.02f,
            MaxEpochs = 200, Dropout = 0.3f, Seed = seed,
        }).Fit(data);
        var summary = fitted.Model.Summary;
        Assert.AreEqual("Validation stop.", summary.StopReason, summary.ToString());
        // The trainer's division: a seeded permutation, its first 15 % for validation.
        var validation = DataDivision.Permutation(x.Dim(0), seed)[..(int)Math.Round(0.15 * x.Dim(0))];
        double recorded = summary.ValidationLoss[summary.BestEpoch - 1];
        double clean = ScaledMse(fitted.Model, x, y, validation);
        Assert.AreEqual(recorded, clean, 1e-4 * recorded, "the kept weights score the best epoch's validation loss without dropout");

        // The model file holds a plain network and gives the same predictions.
        var loaded = Reloaded(nets, fitted, data.Schema);
        CollectionAssert.AreEqual(fitted.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
    }

    /// <summary>The model as saved to a model file and loaded back (the file is deleted).</summary>
    internal static ITransformer Reloaded(NetsContext nets, ITransformer model, DataViewSchema schema)
    {
        string path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}.zip");
        try
        {
            nets.Model.Save(model, schema, path);
            return nets.Model.Load(path, out _);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void DropoutIsRejectedOutsideItsRangeAndForWholeBatchAlgorithms()
    {
        var nets = new NetsContext(0);
        var range = Assert.ThrowsException<ArgumentOutOfRangeException>(() =>
            nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { Algorithm = TrainingAlgorithm.Adam, Dropout = 1f }));
        StringAssert.Contains(range.Message, "Dropout must be in [0, 1)");
        foreach (var algorithm in new TrainingAlgorithm?[] { null, TrainingAlgorithm.LevenbergMarquardt, TrainingAlgorithm.GradientDescentAdaptive })
        {
            var e = Assert.ThrowsException<ArgumentException>(() =>
                nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { Algorithm = algorithm, Dropout = 0.2f }), $"{algorithm}");
            StringAssert.Contains(e.Message, "Adam or SGD");
        }
        // Classification defaults to Adam, where dropout applies.
        Assert.AreEqual(0.2f, nets.BinaryClassification.Trainers.BackPropagation(new BackPropagationOptions { Dropout = 0.2f }).Options.Dropout);
    }

    [TestMethod]
    public void BadColumnsAreNamedAndNaNFeaturesAreRejected()
    {
        var nets = new NetsContext(0);
        var data = Housing(nets);
        var e = Assert.ThrowsException<ArgumentException>(() => nets.Regression.Trainers.BackPropagation(labelColumnName: "Price").Fit(data));
        StringAssert.Contains(e.Message, "'Price'");
        var rows = ClassRows(data);
        rows[3].Features[2] = float.NaN;
        var bad = nets.Data.LoadFromEnumerable(rows);
        var nan = Assert.ThrowsException<InvalidDataException>(() => nets.MulticlassClassification.Trainers.BackPropagation(labelColumnName: "Band").Fit(bad));
        StringAssert.Contains(nan.Message, "row 3, slot 2");
        var notKey = Assert.ThrowsException<ArgumentException>(() => nets.MulticlassClassification.Trainers.BackPropagation(labelColumnName: "Expensive").Fit(bad));
        StringAssert.Contains(notKey.Message, "MapValueToKey");
    }

    [TestMethod]
    public void TruncatedAndNewerModelFilesGetClearErrors()
    {
        var nets = new NetsContext(0);
        var data = Housing(nets);
        var model = nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "MedianHomeValue", MaxEpochs = 3 }).Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"bp-trunc-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsException<InvalidDataException>(() => nets.Model.Load(path, out _));
        StringAssert.Contains(e.Message, path);

        nets.Model.Save(model, data.Schema, path);
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            string text;
            using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write(text.Replace("\"version\": 1", "\"version\": 99"));
        }
        e = Assert.ThrowsException<InvalidDataException>(() => nets.Model.Load(path, out _));
        StringAssert.Contains(e.Message, "newer");

        // A failed save leaves the earlier file intact.
        var good = File.ReadAllBytes(path);
        Assert.ThrowsException<InvalidOperationException>(() => nets.Model.Save(new UnsavableTransformer(), data.Schema, path));
        CollectionAssert.AreEqual(good, File.ReadAllBytes(path));
        Assert.AreEqual(0, Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*.tmp").Length);
    }

    private sealed class UnsavableTransformer : ITransformer
    {
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;
        public IDataView Transform(IDataView input) => input;
        public void Save(ModelSaveContext context) => context.Config["x"] = 1;
    }
}
