using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class GradientDescentAdaptiveTests
{
    [TestMethod]
    public void DefaultsAreTraingdxs()
    {
        var o = new GradientDescentAdaptiveOptions();
        Assert.AreEqual(0.01, o.LearningRate);
        Assert.AreEqual(1.05, o.LearningRateIncrease);
        Assert.AreEqual(0.7, o.LearningRateDecrease);
        Assert.AreEqual(1.04, o.MaxPerformanceIncrease);
        Assert.AreEqual(0.9, o.Momentum);
        Assert.AreEqual(1e-5, o.MinGrad);
        Assert.AreEqual(1000, o.Epochs);
        Assert.AreEqual(6, o.MaxFail);
        Assert.AreEqual(0.0, o.Goal);
    }

    /// <summary>The first step is dX = lr·(−∇mse) (momentum starts at lr·(−∇mse)), with the gradient by finite differences.</summary>
    [TestMethod]
    public void FirstStepsMatchHandComputation()
    {
        var random = new Random(2);
        var x = TrainingTestData.RandomMatrix(random, 10, 2);
        var y = TrainingTestData.RandomMatrix(random, 10, 1);
        var layers = FeedForwardNetwork.Create(2, [3], 1, seed: 6).Layers;
        var w0 = TrainingTestData.Pack(layers);
        var g0 = GradientCheck.Numerical(v => TrainingTestData.Mse(layers, v, x, y), w0, 1e-6);
        double lr = 0.5;
        var w1 = w0.Zip(g0, (w, g) => w - lr * g).ToArray();
        double perf0 = TrainingTestData.Mse(layers, w0, x, y), perf1 = TrainingTestData.Mse(layers, w1, x, y);
        Assert.IsTrue(perf1 < perf0, "the test needs a descending first step");

        var result = new GradientDescentAdaptive(new GradientDescentAdaptiveOptions { Epochs = 1, LearningRate = lr }).Train(layers, x, y);
        var actual = TrainingTestData.Pack(layers);
        for (int i = 0; i < w1.Length; i++) Assert.AreEqual(w1[i], actual[i], 1e-6 * (1 + Math.Abs(w1[i])), $"w[{i}]");
        Assert.AreEqual(lr * 1.05, result.History[1].LearningRate, 1e-12);
        Assert.AreEqual(perf1, result.Performance, 1e-9);
        Assert.AreEqual(Math.Sqrt(g0.Sum(g => g * g)), result.History[0].Gradient, 1e-6);
    }

    [TestMethod]
    public void RejectedStepLowersTheLearningRateAndKeepsWeights()
    {
        var random = new Random(2);
        var x = TrainingTestData.RandomMatrix(random, 10, 2);
        var y = TrainingTestData.RandomMatrix(random, 10, 1);
        var layers = FeedForwardNetwork.Create(2, [3], 1, seed: 6).Layers;
        var w0 = TrainingTestData.Pack(layers);
        var result = new GradientDescentAdaptive(new GradientDescentAdaptiveOptions { Epochs = 1, LearningRate = 1e4 }).Train(layers, x, y);
        Assert.AreEqual(1e4 * 0.7, result.History[1].LearningRate, 1e-6);
        CollectionAssert.AreEqual(w0, TrainingTestData.Pack(layers));
    }

    [TestMethod]
    public void FitsASine()
    {
        var (x, y) = TrainingTestData.Sine(64);
        var net = FeedForwardNetwork.Create(1, [5], 1, seed: 2);
        var result = net.Train(x, y, new GradientDescentAdaptive(new GradientDescentAdaptiveOptions { Epochs = 2000 }), DataDivision.TrainOnly(64));
        double rmse = TrainingTestData.Rmse(net.Predict(x), y);
        Assert.IsTrue(rmse < 0.05, $"RMSE {rmse}; {result}");
        Assert.IsTrue(result.History[^1].Performance < result.History[0].Performance / 20);
    }

    [TestMethod]
    public void RecoversALinearMap()
    {
        var random = new Random(4);
        var x = TrainingTestData.RandomMatrix(random, 30, 2);
        var y = new Tensor(30, 1);
        for (int r = 0; r < 30; r++) y[r] = (float)(0.75 * x[r, 0] - 0.5 * x[r, 1] + 0.25);
        var layers = FeedForwardNetwork.Create(2, [], 1, seed: 3).Layers;
        var result = new GradientDescentAdaptive(new GradientDescentAdaptiveOptions { Goal = 1e-8, Epochs = 5000 }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.PerformanceGoal, result.StopReason, result.ToString());
        Assert.AreEqual(0.75, layers[0].Weight.Value[0], 1e-3);
        Assert.AreEqual(-0.5, layers[0].Weight.Value[1], 1e-3);
        Assert.AreEqual(0.25, layers[0].Bias!.Value[0], 1e-3);
    }

    [TestMethod]
    public void StopReasons()
    {
        var random = new Random(5);
        var x = TrainingTestData.RandomMatrix(random, 20, 3);
        var y = TrainingTestData.RandomMatrix(random, 20, 1);
        var vx = TrainingTestData.RandomMatrix(random, 20, 3);
        var vy = TrainingTestData.RandomMatrix(random, 20, 1);
        FeedForwardTrainingResult Run(GradientDescentAdaptiveOptions o, bool validation = false) =>
            new GradientDescentAdaptive(o).Train(FeedForwardNetwork.Create(3, [8], 1, seed: 1).Layers, x, y,
                validation ? vx : null, validation ? vy : null);
        Assert.AreEqual(FeedForwardStopReason.MinimumGradient, Run(new() { MinGrad = 1e9 }).StopReason);
        Assert.IsTrue(Run(new() { Epochs = 5 }).StoppedByEpochLimitOnly);
        // At the limit's epoch with the gradient below its minimum as well: MATLAB reports the limit, but a larger one
        // would have stopped there too.
        var both = Run(new() { Epochs = 0, MinGrad = 1e9 });
        Assert.AreEqual(FeedForwardStopReason.MaximumEpochs, both.StopReason);
        Assert.IsFalse(both.StoppedByEpochLimitOnly);
        Assert.AreEqual(FeedForwardStopReason.PerformanceGoal, Run(new() { Goal = 1e9 }).StopReason);
        Assert.AreEqual(FeedForwardStopReason.MaximumEpochs, Run(new() { Epochs = 5 }).StopReason);
        Assert.AreEqual(FeedForwardStopReason.TimeLimit, Run(new() { TimeLimit = TimeSpan.Zero }).StopReason);
        var validated = Run(new() { LearningRate = 0.5, MaxFail = 4 }, validation: true);
        Assert.AreEqual(FeedForwardStopReason.ValidationStop, validated.StopReason, validated.ToString());
        Assert.AreEqual(validated.History.Min(h => h.ValidationPerformance), validated.ValidationPerformance, 1e-12);
    }
}
