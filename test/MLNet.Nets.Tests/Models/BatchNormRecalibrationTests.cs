using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Models;

[TestClass]
public class BatchNormRecalibrationTests
{
    [TestMethod]
    public void RunningStatisticsBecomeTheAverageOfTheBatchStatistics_AndMomentumIsRestored()
    {
        // BN first, so its input is the batch itself: the expected running mean and (unbiased) variance per channel are the
        // plain averages over the batches of each batch's own statistics, computed here in double precision.
        var bn = new BatchNormalization(momentum: 0.01f);
        var model = new Sequential([2, 3, 3], 0, bn, new Flatten(), new Dense(2));
        var random = new Random(4);
        var batches = Enumerable.Range(0, 3).Select(b => Tensor.RandomNormal(random, b, 1 + b, 5, 2, 3, 3)).ToArray();
        int used = model.RecalibrateBatchNormalization(batches);
        Assert.AreEqual(3, used);
        Assert.AreEqual(0.01f, bn.Momentum, "momentum restored");
        for (int c = 0; c < 2; c++)
        {
            double meanSum = 0, varSum = 0;
            foreach (var x in batches)
            {
                var values = Enumerable.Range(0, 5).SelectMany(n => Enumerable.Range(0, 9).Select(i => (double)x.Span[(n * 2 + c) * 9 + i])).ToArray();
                double mean = values.Average();
                meanSum += mean;
                varSum += values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
            }
            Assert.AreEqual(meanSum / 3, bn.RunningMean.Span[c], 1e-5, $"running mean of channel {c}");
            Assert.AreEqual(varSum / 3, bn.RunningVar.Span[c], 1e-4, $"running variance of channel {c}");
        }
    }

    [TestMethod]
    public void ParametersAreUnchanged_AndACancelledRunStopsBetweenBatches()
    {
        var model = new Sequential([2, 3, 3], 0, new BatchNormalization(), new Flatten(), new Dense(2));
        var before = model.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        var random = new Random(1);
        using var cancel = new CancellationTokenSource();
        IEnumerable<Tensor> Batches()
        {
            yield return Tensor.RandomNormal(random, 0, 1, 4, 2, 3, 3);
            cancel.Cancel();
            yield return Tensor.RandomNormal(random, 0, 1, 4, 2, 3, 3);
        }
        Assert.AreEqual(1, model.RecalibrateBatchNormalization(Batches(), cancel.Token));
        for (int i = 0; i < before.Length; i++) CollectionAssert.AreEqual(before[i], model.Parameters[i].Value.Span.ToArray());
    }
}
