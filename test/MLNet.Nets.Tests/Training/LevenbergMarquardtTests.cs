using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class LevenbergMarquardtTests
{
    [TestMethod]
    public void DefaultsAreTrainlms()
    {
        var o = new LevenbergMarquardtOptions();
        Assert.AreEqual(1000, o.Epochs);
        Assert.AreEqual(0.0, o.Goal);
        Assert.AreEqual(6, o.MaxFail);
        Assert.AreEqual(1e-7, o.MinGrad);
        Assert.AreEqual(0.001, o.Mu);
        Assert.AreEqual(0.1, o.MuDec);
        Assert.AreEqual(10.0, o.MuInc);
        Assert.AreEqual(1e10, o.MuMax);
        Assert.AreEqual(Timeout.InfiniteTimeSpan, o.TimeLimit);
    }

    /// <summary>One epoch equals a naive step: finite-difference Jacobian, Gaussian elimination, MATLAB's μ loop.</summary>
    [TestMethod]
    public void FirstStepMatchesNaiveSolve()
    {
        var random = new Random(11);
        var x = TrainingTestData.RandomMatrix(random, 6, 2);
        var y = TrainingTestData.RandomMatrix(random, 6, 1);
        var layers = FeedForwardNetwork.Create(2, [3], 1, seed: 4).Layers;
        var w0 = TrainingTestData.Pack(layers);
        int p = w0.Length, n = x.Dim(0);

        var jac = new double[n, p];
        var e = new double[n];
        for (int r = 0; r < n; r++)
        {
            e[r] = y[r] - TrainingTestData.Output(layers, w0, x, r)[0];
            var g = GradientCheck.Numerical(v => TrainingTestData.Output(layers, v, x, r)[0], w0, 1e-6);
            for (int c = 0; c < p; c++) jac[r, c] = g[c];
        }
        double perf0 = TrainingTestData.Mse(layers, w0, x, y);
        double mu = 0.001;
        double[] expected;
        while (true)
        {
            var a = new double[p, p + 1];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++) for (int r = 0; r < n; r++) a[i, j] += jac[r, i] * jac[r, j];
                a[i, i] += mu;
                for (int r = 0; r < n; r++) a[i, p] += jac[r, i] * e[r];
            }
            var step = Solve(a, p);
            var w1 = w0.Zip(step, (u, v) => u + v).ToArray();
            if (TrainingTestData.Mse(layers, w1, x, y) < perf0) { expected = w1; break; }
            mu *= 10;
        }

        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { Epochs = 1 }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.MaximumEpochs, result.StopReason);
        Assert.AreEqual(mu * 0.1, result.History[1].Mu, 1e-15, "μ after the accepted step");
        var actual = TrainingTestData.Pack(layers);
        for (int i = 0; i < p; i++) Assert.AreEqual(expected[i], actual[i], 2e-5 * (1 + Math.Abs(expected[i])), $"w[{i}]");
        Assert.AreEqual(perf0, result.History[0].Performance, 1e-9);
    }

    [TestMethod]
    public void RecoversALinearMapExactly()
    {
        var random = new Random(3);
        var x = TrainingTestData.RandomMatrix(random, 20, 3);
        double[,] a = { { 0.5, -1.25, 2 }, { 1.5, 0.25, -0.75 } };
        double[] b = [0.125, -0.5];
        var y = new Tensor(20, 2);
        for (int r = 0; r < 20; r++) for (int k = 0; k < 2; k++)
        {
            double s = b[k];
            for (int i = 0; i < 3; i++) s += a[k, i] * x[r, i];
            y[r, k] = (float)s;
        }
        var layers = FeedForwardNetwork.Create(3, [], 2, output: Activation.Purelin, seed: 1).Layers;
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { Goal = 1e-20 }).Train(layers, x, y);
        Assert.IsTrue(result.StopReason is FeedForwardStopReason.PerformanceGoal or FeedForwardStopReason.MinimumGradient, result.ToString());
        Assert.IsTrue(result.Epochs <= 10, result.ToString());
        var w = layers[0].Weight.Value;
        for (int k = 0; k < 2; k++)
        {
            for (int i = 0; i < 3; i++) Assert.AreEqual(a[k, i], w[k, i], 1e-5, $"weight[{k},{i}]");
            Assert.AreEqual(b[k], layers[0].Bias!.Value[k], 1e-5, $"bias[{k}]");
        }
    }

    [TestMethod]
    public void FitsASineWithFiveHiddenUnits()
    {
        var (x, y) = TrainingTestData.Sine(64);
        var net = FeedForwardNetwork.Create(1, [5], 1, seed: 2);
        var result = net.Train(x, y, new LevenbergMarquardt(new LevenbergMarquardtOptions { Goal = 1e-6 }), DataDivision.TrainOnly(64));
        Assert.AreEqual(FeedForwardStopReason.PerformanceGoal, result.StopReason, result.ToString());
        Assert.IsTrue(result.Epochs < 200, result.ToString());
        double rmse = TrainingTestData.Rmse(net.Predict(x), y);
        Assert.IsTrue(rmse <= 1.1e-3, $"RMSE {rmse}");
    }

    /// <summary>trainbr on noisy samples of a smooth function: an over-sized net fitted by plain LM chases the noise,
    /// Bayesian regularization does not.</summary>
    [TestMethod]
    public void BayesianRegularizationGeneralisesBetterThanPlainFit()
    {
        var random = new Random(12);
        int n = 30;
        var x = new Tensor(n, 1);
        var y = new Tensor(n, 1);
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(-1 + 2.0 * i / (n - 1));
            y[i] = (float)(Math.Sin(3 * x[i]) + 0.15 * (2 * random.NextDouble() - 1));
        }
        var grid = new Tensor(200, 1);
        var truth = new Tensor(200, 1);
        for (int i = 0; i < 200; i++)
        {
            grid[i] = (float)(-1 + 2.0 * i / 199);
            truth[i] = (float)Math.Sin(3 * grid[i]);
        }
        double Fit(bool bayesian)
        {
            var net = FeedForwardNetwork.Create(1, [20], 1, seed: 3);
            var o = new LevenbergMarquardtOptions { Epochs = 300, BayesianRegularization = bayesian };
            var result = net.Train(x, y, new LevenbergMarquardt(o), DataDivision.TrainOnly(n));
            Assert.IsTrue(double.IsFinite(result.Performance));
            return TrainingTestData.Rmse(net.Predict(grid), truth);
        }
        double plain = Fit(false), bayes = Fit(true);
        Assert.IsTrue(bayes < 0.08, $"trainbr RMSE against the clean function {bayes}");
        Assert.IsTrue(bayes < plain, $"trainbr {bayes} vs trainlm {plain}");
    }

    [TestMethod]
    public void InverseTraceMatchesExplicitInverse()
    {
        double[] a = [4, 1, 0.5, 1, 3, 0.25, 0.5, 0.25, 2];
        var l = new double[9];
        Assert.IsTrue(SmallDenseAlgebra.Cholesky(a, 3, 3, 0, l));
        double trace = 0;
        for (int c = 0; c < 3; c++)
        {
            var e = new double[3];
            e[c] = 1;
            var col = new double[3];
            SmallDenseAlgebra.CholeskySolve(l, 3, 3, e, col);
            trace += col[c];
        }
        Assert.AreEqual(trace, SmallDenseAlgebra.InverseTrace(l, 3, 3, new double[3]), 1e-12);
    }

    [TestMethod]
    public void StopsWhenGoalIsMetAtStart()
    {
        var (layers, x, y) = Small();
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { Goal = 1e9 }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.PerformanceGoal, result.StopReason);
        Assert.AreEqual("Performance goal met.", result.StopMessage);
        Assert.AreEqual(0, result.Epochs);
    }

    [TestMethod]
    public void StopsOnMinimumGradient()
    {
        var (layers, x, y) = Small();
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { MinGrad = 1e9 }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.MinimumGradient, result.StopReason);
        Assert.AreEqual("Minimum gradient reached.", result.StopMessage);
    }

    [TestMethod]
    public void StopsOnMaximumEpochs()
    {
        var (layers, x, y) = Small();
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { Epochs = 3 }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.MaximumEpochs, result.StopReason);
        Assert.AreEqual("Maximum epoch reached.", result.StopMessage);
        Assert.IsTrue(result.StoppedByEpochLimitOnly);
        Assert.AreEqual(3, result.Epochs);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, result.History.Select(h => h.Epoch).ToArray());
    }

    [TestMethod]
    public void StopsOnMaximumMu()
    {
        var (layers, x, y) = Small();
        // With μ capped at 0.05 the loop gives up after 0.001, 0.01 if neither lowers the error; at a minimum it never does.
        var converged = new LevenbergMarquardt(new LevenbergMarquardtOptions { Goal = 0, MinGrad = 0, Epochs = 400 }).Train(layers, x, y);
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { MinGrad = 0, MuMax = 0.05 }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.MaximumMu, result.StopReason, $"{converged} / {result}");
        Assert.AreEqual("Maximum mu reached.", result.StopMessage);
    }

    [TestMethod]
    public void StopsOnTimeLimit()
    {
        var (layers, x, y) = Small();
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { TimeLimit = TimeSpan.Zero }).Train(layers, x, y);
        Assert.AreEqual(FeedForwardStopReason.TimeLimit, result.StopReason);
    }

    [TestMethod]
    public void ValidationStopRestoresBestWeights()
    {
        var random = new Random(8);
        var x = TrainingTestData.RandomMatrix(random, 20, 3);
        var y = TrainingTestData.RandomMatrix(random, 20, 1);        // pure noise: fitting it must hurt validation
        var vx = TrainingTestData.RandomMatrix(random, 20, 3);
        var vy = TrainingTestData.RandomMatrix(random, 20, 1);
        var layers = FeedForwardNetwork.Create(3, [8], 1, seed: 5).Layers;
        var progress = new List<FeedForwardTrainingProgress>();
        var result = new LevenbergMarquardt(new LevenbergMarquardtOptions { MaxFail = 3 })
            .Train(layers, x, y, vx, vy, new SynchronousProgress(progress));
        Assert.AreEqual(FeedForwardStopReason.ValidationStop, result.StopReason, result.ToString());
        Assert.AreEqual("Validation stop.", result.StopMessage);
        Assert.AreEqual(result.BestEpoch + 3, result.Epochs);
        double best = result.History.Min(h => h.ValidationPerformance);
        Assert.AreEqual(best, result.ValidationPerformance, 1e-12);
        Assert.AreEqual(best, result.History[result.BestEpoch].ValidationPerformance, 1e-12);
        // The layers hold the best-validation weights (up to float rounding of the weights).
        Assert.AreEqual(best, TrainingTestData.Mse(layers, TrainingTestData.Pack(layers), vx, vy), 1e-5 * best);
        Assert.AreEqual(result.History.Count, progress.Count);
        Assert.IsTrue(result.History[^1].Performance < result.History[result.BestEpoch].Performance);
    }

    [TestMethod]
    public void NonFiniteInputIsRejectedWithRowAndColumn()
    {
        var (layers, x, y) = Small();
        x[2, 1] = float.NaN;
        var error = Assert.ThrowsException<ArgumentException>(() => new LevenbergMarquardt().Train(layers, x, y));
        StringAssert.Contains(error.Message, "row 2, column 1");
    }

    [TestMethod]
    public void OverflowingNetworkThrowsAndKeepsWeights()
    {
        var x = Tensor.Full(3e38f, 4, 2);
        var y = new Tensor(4, 1);
        var layers = FeedForwardNetwork.Create(2, [2, 2], 1, hidden: Activation.Purelin, seed: 1).Layers;
        foreach (var layer in layers) layer.Weight.Value.Fill(3e38f);
        var before = TrainingTestData.Pack(layers);
        var error = Assert.ThrowsException<TrainingDivergedException>(() => new LevenbergMarquardt().Train(layers, x, y));
        StringAssert.Contains(error.Message, "non-finite");
        CollectionAssert.AreEqual(before, TrainingTestData.Pack(layers));
    }

    [TestMethod]
    public void CancellationStopsBetweenEpochsAndKeepsFiniteWeights()
    {
        var (layers, x, y) = Small();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(new List<FeedForwardTrainingProgress>(), p => { if (p.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsException<OperationCanceledException>(() => new LevenbergMarquardt().Train(layers, x, y, progress: progress, cancellationToken: cts.Token));
        Assert.IsTrue(TrainingTestData.Pack(layers).All(double.IsFinite));
        Assert.AreEqual(3, progress.Reports.Count);
    }

    [TestMethod]
    public void RejectsSoftmaxAndBadShapes()
    {
        var (layers, x, y) = Small();
        Assert.ThrowsException<ArgumentException>(() => new LevenbergMarquardt().Train(layers, new Tensor(5, 3), y));
        var softmax = new Dense(2, Activation.Softmax);
        softmax.Build([[2]], new Random(0));
        Assert.ThrowsException<NotSupportedException>(() => new LevenbergMarquardt().Train([softmax], x, new Tensor(x.Dim(0), 2)));
    }

    private static (IReadOnlyList<Dense> Layers, Tensor X, Tensor Y) Small()
    {
        var random = new Random(21);
        var x = TrainingTestData.RandomMatrix(random, 15, 2);
        var y = new Tensor(15, 1);
        for (int r = 0; r < 15; r++) y[r] = (float)(Math.Sin(2 * x[r, 0]) + 0.5 * x[r, 1]);
        return (FeedForwardNetwork.Create(2, [4], 1, seed: 9).Layers, x, y);
    }

    private static double[] Solve(double[,] m, int n)
    {
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            for (int j = 0; j <= n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            for (int r = 0; r < n; r++)
            {
                if (r == c) continue;
                double f = m[r, c] / m[c, c];
                for (int j = c; j <= n; j++) m[r, j] -= f * m[c, j];
            }
        }
        return Enumerable.Range(0, n).Select(i => m[i, n] / m[i, i]).ToArray();
    }
}

/// <summary>IProgress that records (and optionally reacts) on the calling thread, unlike Progress&lt;T&gt;.</summary>
internal sealed class SynchronousProgress(List<FeedForwardTrainingProgress> reports, Action<FeedForwardTrainingProgress>? onReport = null)
    : IProgress<FeedForwardTrainingProgress>
{
    public List<FeedForwardTrainingProgress> Reports { get; } = reports;

    public void Report(FeedForwardTrainingProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
