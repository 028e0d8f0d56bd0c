using MLNet.Nets.Callbacks;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Schedules;
using MLNet.Nets.Tests.Models;

namespace MLNet.Nets.Tests.Callbacks;

[TestClass]
public class CallbackTests
{
    private static Sequential Compiled(float lr = 0.01f)
    {
        var model = new Sequential([3], 0, new Dense(4, Activation.Tanh), new Dense(1));
        model.Compile(new Sgd(lr), new MeanSquaredError(), "mae");
        return model;
    }

    [TestMethod]
    public void SchedulesFollowPyTorchsClosedForms()
    {
        var step = new StepDecay(stepSize: 2, gamma: 0.5f);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 0.5f, 0.5f, 0.25f }, Enumerable.Range(0, 5).Select(e => step.GetLearningRate(e, 1f)).ToArray());
        var exp = new ExponentialDecay(0.9f);
        Assert.AreEqual(0.1f * 0.729f, exp.GetLearningRate(3, 0.1f), 1e-7f);
        var cos = new CosineDecay(periodEpochs: 4, minLearningRate: 0.01f);
        Assert.AreEqual(0.1f, cos.GetLearningRate(0, 0.1f), 1e-7f);
        Assert.AreEqual(0.01f + 0.09f * 0.5f * (1 + MathF.Cos(MathF.PI / 4)), cos.GetLearningRate(1, 0.1f), 1e-7f);
        Assert.AreEqual(0.055f, cos.GetLearningRate(2, 0.1f), 1e-7f);
        Assert.AreEqual(0.01f, cos.GetLearningRate(9, 0.1f), 1e-7f);
    }

    [TestMethod]
    public void LearningRateSchedulerSetsTheRateEachEpoch()
    {
        var (x, y) = TrainingData.Linear(20, 1);
        var model = Compiled(0.1f);
        var history = model.Fit(x, y, batchSize: 10, epochs: 4, callbacks: [new LearningRateScheduler(new StepDecay(1, 0.5f))]);
        CollectionAssert.AreEqual(new[] { 0.1f, 0.05f, 0.025f, 0.0125f }, history["lr"].ToArray());
        var custom = Compiled(0.2f).Fit(x, y, epochs: 2, callbacks: [new LearningRateScheduler((epoch, lr) => epoch == 0 ? lr : lr / 4)]);
        CollectionAssert.AreEqual(new[] { 0.2f, 0.05f }, custom["lr"].ToArray());
    }

    [TestMethod]
    public void ReduceLROnPlateauCutsTheRateWhenTheMonitorStalls()
    {
        var (x, y) = TrainingData.Linear(20, 2);
        var model = Compiled(0.1f);
        // A zero learning-rate floor test: monitor a quantity that never improves (the constant rate itself).
        var reducer = new ReduceLROnPlateau(monitor: "lr", factor: 0.5f, patience: 2, minDelta: 0f, mode: MonitorMode.Max);
        var history = model.Fit(x, y, batchSize: 10, epochs: 7, callbacks: [reducer]);
        CollectionAssert.AreEqual(new[] { 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f }, history["lr"].ToArray());
    }

    [TestMethod]
    public void CsvLoggerWritesAHeaderAndOneRowPerEpoch()
    {
        var (x, y) = TrainingData.Linear(20, 3);
        string path = Path.Combine(Path.GetTempPath(), $"nets-csv-{Guid.NewGuid():N}.csv");
        try
        {
            var history = Compiled().Fit(x, y, epochs: 3, validationSplit: 0.2f, callbacks: [new CsvLogger(path)]);
            var lines = File.ReadAllLines(path);
            Assert.AreEqual(4, lines.Length);
            Assert.AreEqual("epoch,loss,mae,val_loss,val_mae,lr", lines[0]);
            var row = lines[2].Split(',');
            Assert.AreEqual("1", row[0]);
            Assert.AreEqual(history["val_loss"][1], float.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ModelCheckpointSavesTheBestEpochLoadably()
    {
        var (x, y) = TrainingData.Linear(40, 4);
        string dir = Path.Combine(Path.GetTempPath(), $"nets-ckpt-{Guid.NewGuid():N}");
        try
        {
            var model = Compiled(0.05f);
            var checkpoint = new ModelCheckpoint(Path.Combine(dir, "best.zip"), monitor: "loss", saveBestOnly: true);
            var everyEpoch = new ModelCheckpoint(Path.Combine(dir, "epoch{epoch}.zip"));
            var history = model.Fit(x, y, batchSize: 8, epochs: 3, shuffle: false, callbacks: [checkpoint, everyEpoch]);
            Assert.IsTrue(File.Exists(Path.Combine(dir, "epoch3.zip")));
            Assert.AreEqual(history["loss"].Min(), checkpoint.Best);
            var loaded = Model.Load(checkpoint.LastSavedPath!);
            var last = Model.Load(Path.Combine(dir, "epoch3.zip"));
            CollectionAssert.AreEqual(model.Predict(x).Span.ToArray(), last.Predict(x).Span.ToArray());
            Assert.AreEqual(4, loaded.Parameters.Count);
            Assert.AreEqual(0, Directory.GetFiles(dir, "*.tmp").Length, "no temporary files are left");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
