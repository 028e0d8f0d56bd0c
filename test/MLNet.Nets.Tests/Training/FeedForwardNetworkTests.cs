using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class FeedForwardNetworkTests
{
    [TestMethod]
    public void CreateBuildsTheStack()
    {
        var net = FeedForwardNetwork.Create(13, [10, 4], 2, seed: 1);
        Assert.AreEqual(3, net.Layers.Count);
        CollectionAssert.AreEqual(new[] { 10, 4, 2 }, net.Layers.Select(l => l.Units).ToArray());
        CollectionAssert.AreEqual(new[] { 13, 10, 4 }, net.Layers.Select(l => l.InputUnits).ToArray());
        CollectionAssert.AreEqual(new[] { Activation.Tanh, Activation.Tanh, Activation.Linear }, net.Layers.Select(l => l.Activation).ToArray());
        Assert.AreEqual(13 * 10 + 10 + 10 * 4 + 4 + 4 * 2 + 2, net.Layers.Sum(l => l.ParameterCount));
        // Same seed, same weights.
        var again = FeedForwardNetwork.Create(13, [10, 4], 2, seed: 1);
        CollectionAssert.AreEqual(TrainingTestData.Pack(net.Layers), TrainingTestData.Pack(again.Layers));
    }

    [TestMethod]
    public void NguyenWidrowMatchesInitnw()
    {
        var net = FeedForwardNetwork.Create(4, [6], 1, seed: 2);
        var hidden = net.Layers[0];
        // Rows of length 0.7·S^(1/R) for net inputs over [-1, 1], scaled by 2 to tansig's active range [-2, 2].
        double magnitude = 2 * 0.7 * Math.Pow(6, 1.0 / 4);
        for (int j = 0; j < 6; j++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, 4).Sum(i => Math.Pow(hidden.Weight.Value[j, i], 2)));
            Assert.AreEqual(magnitude, norm, 1e-5, $"row {j}");
            // Biases evenly spaced over [-magnitude, magnitude] with the sign of the row's first weight.
            double spread = magnitude * (-1 + 2.0 * j / 5);
            Assert.AreEqual(spread * Math.Sign(hidden.Weight.Value[j, 0]), hidden.Bias!.Value[j], 1e-5, $"bias {j}");
        }
        // purelin output: uniform in [-1, 1].
        foreach (float v in net.Layers[1].Weight.Value.Span) Assert.IsTrue(v >= -1 && v <= 1);
    }

    [TestMethod]
    public void NguyenWidrowHonoursTheInputRange()
    {
        var a = new Dense(3, Activation.Logsig);
        a.Build([[2]], new Random(0));
        var b = new Dense(3, Activation.Logsig);
        b.Build([[2]], new Random(0));
        FeedForwardNetwork.InitializeNguyenWidrow(a, new Random(5));
        FeedForwardNetwork.InitializeNguyenWidrow(b, new Random(5), 0, 10);
        // Inputs u in [0, 10] fed to b give the net inputs that x = u/5 − 1 in [-1, 1] gives to a.
        foreach (double u in new[] { 0.0, 2.5, 10.0 })
        {
            double xv = u / 5 - 1;
            for (int j = 0; j < 3; j++)
            {
                double za = a.Bias!.Value[j] + a.Weight.Value[j, 0] * xv + a.Weight.Value[j, 1] * xv;
                double zb = b.Bias!.Value[j] + b.Weight.Value[j, 0] * u + b.Weight.Value[j, 1] * u;
                Assert.AreEqual(za, zb, 1e-4);
            }
        }
    }

    [TestMethod]
    public void TrainsOnTheDefaultDivisionAndPredictsInTargetUnits()
    {
        var random = new Random(7);
        var x = TrainingTestData.RandomMatrix(random, 200, 2, 5);
        var y = new Tensor(200, 1);
        for (int r = 0; r < 200; r++) y[r] = (float)(100 + 20 * Math.Sin(x[r, 0] / 2) + 3 * x[r, 1]);
        var net = FeedForwardNetwork.Create(2, [6], 1, seed: 3);
        var result = net.Train(x, y);
        Assert.IsFalse(double.IsNaN(result.TestPerformance), "the default division has test rows");
        Assert.IsTrue(result.TestPerformance < 0.05, result.ToString());   // MSE in the targets' units (range ≈ 70)
        var prediction = net.Predict(x);
        double rmse = TrainingTestData.Rmse(prediction, y);
        Assert.IsTrue(rmse < 0.25, $"RMSE {rmse}");
        // Performances are reported in target units: the full-data MSE is close to the parts' MSEs.
        Assert.AreEqual(rmse * rmse, result.Performance, 0.05);
    }

    [TestMethod]
    public void ExplicitValidationSetIsMappedWithTrainingScalers()
    {
        var random = new Random(8);
        var x = TrainingTestData.RandomMatrix(random, 60, 1, 3);
        var y = new Tensor(60, 1);
        for (int r = 0; r < 60; r++) y[r] = (float)(x[r] * x[r]);
        var vx = TrainingTestData.RandomMatrix(random, 20, 1, 3);
        var vy = new Tensor(20, 1);
        for (int r = 0; r < 20; r++) vy[r] = (float)(vx[r] * vx[r]);
        var net = FeedForwardNetwork.Create(1, [5], 1, seed: 1);
        var result = net.Train(x, y, vx, vy);
        double vrmse = TrainingTestData.Rmse(net.Predict(vx), vy);
        Assert.AreEqual(vrmse * vrmse, result.ValidationPerformance, 1e-3 + 0.01 * vrmse * vrmse);
        Assert.IsTrue(vrmse < 0.1, $"validation RMSE {vrmse}");
    }
}
