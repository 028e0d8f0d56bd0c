using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Layers.Merging;

[TestClass]
public class MergingLayerTests
{
    private static T Built<T>(T layer, params int[][] shapes) where T : Layer
    {
        layer.Build(shapes, new Random(3));
        return layer;
    }

    /// <summary>Index of a per-sample broadcast operand of shape <paramref name="small"/> for output element <paramref name="flat"/> of [n, big...].</summary>
    private static int BroadcastIndex(int flat, int[] big, int[] small)
    {
        int perSample = big.Aggregate(1, (p, d) => p * d);
        int sample = flat / perSample, rest = flat % perSample;
        var index = new int[big.Length];
        for (int d = big.Length - 1; d >= 0; d--) { index[d] = rest % big[d]; rest /= big[d]; }
        int offset = 0;
        for (int d = 0; d < small.Length; d++)
        {
            int i = index[big.Length - small.Length + d];
            offset = offset * small[d] + (small[d] == 1 ? 0 : i);
        }
        return sample * small.Aggregate(1, (p, d) => p * d) + offset;
    }

    [TestMethod]
    public void AddSameShapesAndBroadcast()
    {
        var random = new Random(81);
        var add = Built(new Add(), [3, 4], [3, 4], [3, 4]);
        var xs = new[] { LayerCheck.RandomInput(random, 2, [3, 4]), LayerCheck.RandomInput(random, 2, [3, 4]), LayerCheck.RandomInput(random, 2, [3, 4]) };
        LayerCheck.Run(add, xs, (x, _) => x[0].Select((v, i) => v + x[1][i] + x[2][i]).ToArray());
        var grads = add.BackwardAll(Tensor.Full(1f, 2, 3, 4));
        Assert.AreNotSame(grads[0], grads[1], "each input gets its own gradient buffer");

        int[] big = [3, 4, 5], small = [3, 1, 1];
        var badd = Built(new Add(), big, small);
        CollectionAssert.AreEqual(big, badd.OutputShape);
        var a = LayerCheck.RandomInput(random, 2, big);
        var b = LayerCheck.RandomInput(random, 2, small);
        LayerCheck.Run(badd, [a, b], (x, _) => x[0].Select((v, i) => v + x[1][BroadcastIndex(i, big, small)]).ToArray());
        var ex = Assert.ThrowsException<ArgumentException>(() => Built(new Add("sum"), [3, 4], [5, 4]));
        StringAssert.Contains(ex.Message, "'sum'");
        LayerCheck.AssertNoSteadyStateAllocation(add, xs);
        LayerCheck.AssertNoSteadyStateAllocation(badd, [a, b]);
    }

    [TestMethod]
    public void MultiplyGatesChannelsLikeSqueezeExcite()
    {
        var random = new Random(82);
        int[] big = [4, 3, 5], gate = [4, 1, 1];
        var mul = Built(new Multiply(), big, gate);
        var x = LayerCheck.RandomInput(random, 2, big);
        var g = LayerCheck.RandomInput(random, 2, gate);
        LayerCheck.Run(mul, [x, g], (v, _) => v[0].Select((e, i) => e * v[1][BroadcastIndex(i, big, gate)]).ToArray());
        // Gate first works too (commutative), and a per-sample vector [C] broadcasts along the last axis.
        var mul2 = Built(new Multiply(), gate, big);
        CollectionAssert.AreEqual(big, mul2.OutputShape);
        LayerCheck.Run(mul2, [g, x], (v, _) => v[1].Select((e, i) => e * v[0][BroadcastIndex(i, big, gate)]).ToArray());
        var three = Built(new Multiply(), [5], [3, 5], [1, 5]);
        var a = LayerCheck.RandomInput(random, 2, [5]);
        var b = LayerCheck.RandomInput(random, 2, [3, 5]);
        var c = LayerCheck.RandomInput(random, 2, [1, 5]);
        LayerCheck.Run(three, [a, b, c], (v, _) => v[1].Select((e, i) =>
            e * v[0][BroadcastIndex(i, [3, 5], [5])] * v[2][BroadcastIndex(i, [3, 5], [1, 5])]).ToArray());
        LayerCheck.AssertNoSteadyStateAllocation(mul, [x, g]);
    }

    [TestMethod]
    public void ConcatenateAlongChannelsAndLastAxis()
    {
        var random = new Random(83);
        var cat = Built(new Concatenate(), [2, 3, 3], [5, 3, 3], [1, 3, 3]);
        CollectionAssert.AreEqual(new[] { 8, 3, 3 }, cat.OutputShape);
        var xs = new[] { LayerCheck.RandomInput(random, 2, [2, 3, 3]), LayerCheck.RandomInput(random, 2, [5, 3, 3]), LayerCheck.RandomInput(random, 2, [1, 3, 3]) };
        var y = cat.ForwardAll(xs, false);
        Assert.AreEqual(xs[1][1, 4, 2, 1], y[1, 2 + 4, 2, 1]);
        Assert.AreEqual(xs[2][0, 0, 1, 1], y[0, 7, 1, 1]);
        LayerCheck.Run(cat, xs, (x, _) =>
        {
            var r = new double[2 * 8 * 9];
            for (int n = 0; n < 2; n++)
            {
                int at = n * 72;
                foreach (var (part, channels) in new[] { (x[0], 2), (x[1], 5), (x[2], 1) })
                {
                    Array.Copy(part, n * channels * 9, r, at, channels * 9);
                    at += channels * 9;
                }
            }
            return r;
        });
        var last = Built(new Concatenate(-1), [3, 2], [3, 4]);
        CollectionAssert.AreEqual(new[] { 3, 6 }, last.OutputShape);
        var ex = Assert.ThrowsException<ArgumentException>(() => Built(new Concatenate(1, "cat"), [2, 3, 3], [2, 4, 3]));
        StringAssert.Contains(ex.Message, "'cat'");
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new Concatenate(0));
        Assert.AreEqual(-1, Concatenate.FromConfig(LayerCheck.RoundTrip(last)).Axis);
        LayerCheck.AssertNoSteadyStateAllocation(cat, xs);
    }
}
