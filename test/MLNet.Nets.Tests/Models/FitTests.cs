using MLNet.Nets.Callbacks;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Models;

[TestClass]
public class FitTests
{
    private static Sequential Regressor(int seed = 0) => new([3], seed, new Dense(8, Activation.Tanh), new Dense(1));

    [TestMethod]
    public void FitLearnsALinearFunctionAndLogsEveryEpoch()
    {
        var (x, y) = TrainingData.Linear(256, 1);
        var model = Regressor();
        model.Compile(new Adam(0.02f), new MeanSquaredError(), "mae", "mse");
        var history = model.Fit(x, y, batchSize: 32, epochs: 30, validationSplit: 0.25f);
        Assert.AreEqual(30, history.Epochs);
        CollectionAssert.AreEqual(new[] { "loss", "mae", "mse", "val_loss", "val_mae", "val_mse", "lr" }, history.Keys.ToArray());
        Assert.IsTrue(history["loss"][^1] < 0.02f * history["loss"][0], $"loss {history["loss"][0]} → {history["loss"][^1]}");
        Assert.IsTrue(history["val_loss"][^1] < 0.01f, $"val_loss {history["val_loss"][^1]}");
        var eval = model.Evaluate(x, y);
        Assert.AreEqual(eval["loss"], eval["mse"], 1e-5f);
    }

    [TestMethod]
    public void ClassifierReachesHighAccuracy()
    {
        var (x, y) = TrainingData.Blobs(300, 2);
        var model = new Sequential([2], 0, new Dense(16, Activation.ReLU), new Dense(3));
        model.Compile(new Sgd(0.1f, momentum: 0.9f), "sparse_categorical_crossentropy", "accuracy");
        var history = model.Fit(x, y, batchSize: 16, epochs: 5);
        Assert.IsTrue(history["accuracy"][^1] > 0.97f, $"accuracy {history["accuracy"][^1]}");
        var logits = model.Predict(x, batchSize: 7);
        CollectionAssert.AreEqual(new[] { 300, 3 }, logits.Shape.ToArray());
        Assert.AreEqual(history["accuracy"][^1], model.Evaluate(x, y)["accuracy"], 0.03f);
    }

    [TestMethod]
    public void SameSeedGivesIdenticalTraining()
    {
        var (x, y) = TrainingData.Linear(100, 3);
        float[] Run()
        {
            var model = Regressor(seed: 9);
            model.Compile(new Adam(0.01f), new MeanSquaredError());
            return model.Fit(x, y, batchSize: 10, epochs: 3, seed: 4)["loss"].ToArray();
        }
        CollectionAssert.AreEqual(Run(), Run());
    }

    [TestMethod]
    public void ZeroClassWeightsMeanNoUpdate()
    {
        var (x, y) = TrainingData.Blobs(30, 1);
        var model = new Sequential([2], 0, new Dense(3));
        model.Compile(new Sgd(0.5f), new SparseCategoricalCrossEntropy());
        var before = model.GetWeights();
        model.Fit(x, y, batchSize: 8, classWeight: new Dictionary<int, float> { [0] = 0f, [1] = 0f, [2] = 0f });
        for (int i = 0; i < before.Count; i++) CollectionAssert.AreEqual(before[i].Span.ToArray(), model.GetWeights()[i].Span.ToArray());
        model.Fit(x, y, batchSize: 8, classWeight: new Dictionary<int, float> { [0] = 2f });
        CollectionAssert.AreNotEqual(before[0].Span.ToArray(), model.GetWeights()[0].Span.ToArray());
    }

    [TestMethod]
    public void NaNLossStopsWithEpochAndBatchAndRestoresLastGoodWeights()
    {
        var (x, y) = TrainingData.Linear(40, 5);
        y[25, 0] = float.NaN; // batch 2 (0-based) with batch size 10 and no shuffling
        var model = Regressor();
        model.Compile(new Sgd(0.05f), new MeanSquaredError());
        var recorder = new WeightRecorder();
        var ex = Assert.ThrowsException<TrainingDivergedException>(() =>
            model.Fit(x, y, batchSize: 10, epochs: 2, shuffle: false, callbacks: [recorder]));
        Assert.AreEqual(0, ex.Epoch);
        Assert.AreEqual(2, ex.Batch);
        StringAssert.Contains(ex.Message, "epoch 1, batch 3");
        // Batch 2's loss is NaN; the last finite loss was batch 1, computed with the weights left by batch 0.
        AssertWeights(recorder.AfterBatch[0], model);
        Assert.IsTrue(model.GetWeights().All(t => t.Span.ToArray().All(float.IsFinite)));
    }

    [TestMethod]
    public void CancellationStopsBetweenBatchesWithWeightsIntact()
    {
        var (x, y) = TrainingData.Linear(100, 6);
        var model = Regressor();
        model.Compile(new Sgd(0.05f), new MeanSquaredError());
        using var cts = new CancellationTokenSource();
        var recorder = new WeightRecorder { CancelAfter = (3, cts) };
        Assert.ThrowsException<OperationCanceledException>(() =>
            model.Fit(x, y, batchSize: 10, epochs: 1, callbacks: [recorder], cancellationToken: cts.Token));
        Assert.AreEqual(4, recorder.AfterBatch.Count);
        AssertWeights(recorder.AfterBatch[3], model);
    }

    [TestMethod]
    public void ProgressIsReportedForEveryBatch()
    {
        var (x, y) = TrainingData.Linear(50, 7);
        var model = Regressor();
        model.Compile(new Sgd(0.05f), new MeanSquaredError());
        var reports = new List<TrainingProgress>();
        model.Fit(x, y, batchSize: 16, epochs: 2, progress: new SyncProgress<TrainingProgress>(reports.Add));
        Assert.AreEqual(8, reports.Count);
        Assert.AreEqual(4, reports[0].Batches);
        Assert.AreEqual(1.0, reports[^1].Fraction, 1e-9);
    }

    [TestMethod]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        // Validation targets are the negation of the training targets: validation loss is best after the first epoch.
        var (x, y) = TrainingData.Linear(64, 8);
        var yVal = y.Clone();
        for (int i = 0; i < yVal.Length; i++) yVal[i] = -yVal[i];
        var model = Regressor();
        model.Compile(new Adam(0.05f), new MeanSquaredError());
        var recorder = new WeightRecorder();
        var stopper = new EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true);
        var history = model.Fit(x, y, batchSize: 16, epochs: 20, validationData: (x, yVal), callbacks: [recorder, stopper]);
        int best = Enumerable.Range(0, history.Epochs).MinBy(e => history["val_loss"][e]);
        Assert.AreEqual(best, stopper.BestEpoch);
        Assert.AreEqual(best + 2, stopper.StoppedEpoch);
        Assert.AreEqual(best + 3, history.Epochs);
        AssertWeights(recorder.AfterEpoch[best], model);
    }

    [TestMethod]
    public void EarlyStoppingWithoutValidationDataExplainsWhatIsMissing()
    {
        var (x, y) = TrainingData.Linear(20, 9);
        var model = Regressor();
        model.Compile(new Sgd(0.01f), new MeanSquaredError());
        var ex = Assert.ThrowsException<InvalidOperationException>(() => model.Fit(x, y, epochs: 2, callbacks: [new EarlyStopping()]));
        StringAssert.Contains(ex.Message, "val_loss");
        StringAssert.Contains(ex.Message, "validationSplit");
    }

    [TestMethod]
    public void FitBeforeCompileIsAClearError()
    {
        var (x, y) = TrainingData.Linear(8, 1);
        StringAssert.Contains(Assert.ThrowsException<InvalidOperationException>(() => Regressor().Fit(x, y)).Message, "Compile");
    }

    [TestMethod]
    public void SteadyStateTrainingStepsAllocateNothing()
    {
        // Batches 1-4 of each epoch are full batches of 10; batch 5 has 5 samples. Layers re-size their own buffers when
        // the batch size changes (first and last batch); the steps in between must allocate nothing.
        var (x, _) = TrainingData.Linear(55, 10);
        var y = x.Clone();
        for (int i = 0; i < y.Length; i++) y[i] = 2 * y[i] + 1;
        var model = new Sequential([3], 0, new TestScale(), new TestScale());
        model.Compile(new Adam(0.01f) { ClipNorm = 1f }, new Huber(), "mae");
        var probe = new AllocationProbe();
        model.Fit(x, y, batchSize: 10, epochs: 3, callbacks: [probe]);
        Assert.AreEqual(0L, probe.BytesDuringLastEpoch, "bytes allocated by the training steps of the last epoch");
    }

    private sealed class AllocationProbe : Callback
    {
        private long _start;
        public long BytesDuringLastEpoch { get; private set; } = -1;
        public override void OnBatchEnd(int epoch, int batch, float loss)
        {
            if (batch == 1) _start = GC.GetAllocatedBytesForCurrentThread();
            else if (batch == 4) BytesDuringLastEpoch = GC.GetAllocatedBytesForCurrentThread() - _start;
        }
    }

    internal static void AssertWeights(IReadOnlyList<Tensor> expected, Model model)
    {
        var actual = model.GetWeights();
        for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i].Span.ToArray(), actual[i].Span.ToArray(), $"weight {i}");
    }

    internal sealed class WeightRecorder : Callback
    {
        public List<IReadOnlyList<Tensor>> AfterBatch { get; } = [];
        public List<IReadOnlyList<Tensor>> AfterEpoch { get; } = [];
        public (int Batch, CancellationTokenSource Source)? CancelAfter { get; init; }

        public override void OnBatchEnd(int epoch, int batch, float loss)
        {
            AfterBatch.Add(Model!.GetWeights());
            if (CancelAfter is { } c && batch == c.Batch) c.Source.Cancel();
        }

        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => AfterEpoch.Add(Model!.GetWeights());
    }

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
