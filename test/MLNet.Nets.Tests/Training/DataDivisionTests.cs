using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class DataDivisionTests
{
    [TestMethod]
    public void RandomDivisionHasDividerandsCountsAndCoversEveryRowOnce()
    {
        var d = DataDivision.Random(506, seed: 3);
        Assert.AreEqual(76, d.ValidationIndices.Count);   // round(0.15·506) = round(75.9)
        Assert.AreEqual(76, d.TestIndices.Count);
        Assert.AreEqual(354, d.TrainIndices.Count);
        var all = d.TrainIndices.Concat(d.ValidationIndices).Concat(d.TestIndices).OrderBy(i => i).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, 506).ToArray(), all);
        CollectionAssert.AreEqual(d.TrainIndices.OrderBy(i => i).ToArray(), d.TrainIndices.ToArray());
    }

    [TestMethod]
    public void SeedMakesDivisionReproducible()
    {
        var a = DataDivision.Random(100, 0.8, 0, 0.2, seed: 42);
        var b = DataDivision.Random(100, 0.8, 0, 0.2, seed: 42);
        var c = DataDivision.Random(100, 0.8, 0, 0.2, seed: 43);
        CollectionAssert.AreEqual(a.TestIndices.ToArray(), b.TestIndices.ToArray());
        CollectionAssert.AreNotEqual(a.TestIndices.ToArray(), c.TestIndices.ToArray());
        Assert.AreEqual(0, a.ValidationIndices.Count);
        Assert.AreEqual(20, a.TestIndices.Count);
        // Ratios are normalised by their sum, as in MATLAB.
        Assert.AreEqual(20, DataDivision.Random(100, 8, 0, 2, seed: 1).TestIndices.Count);
    }

    [TestMethod]
    public void FromIndicesChecksIndices()
    {
        var d = DataDivision.FromIndices(6, [5, 0, 1], [2], [3, 4]);
        CollectionAssert.AreEqual(new[] { 0, 1, 5 }, d.TrainIndices.ToArray());
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => DataDivision.FromIndices(6, [0, 1], [1])).Message, "Row 1");
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => DataDivision.FromIndices(6, [0, 6])).Message, "6");
        Assert.ThrowsException<ArgumentException>(() => DataDivision.FromIndices(6, []));
        Assert.AreEqual(6, DataDivision.TrainOnly(6).TrainIndices.Count);
        Assert.ThrowsException<ArgumentException>(() => DataDivision.Random(10, 0, 1, 0));
    }

    [TestMethod]
    public void TakeRowsGathersRows()
    {
        var x = new Tensor([0f, 1f, 10f, 11f, 20f, 21f], 3, 2);
        var taken = DataDivision.TakeRows(x, [2, 0]);
        CollectionAssert.AreEqual(new[] { 20f, 21f, 0f, 1f }, taken.Span.ToArray());
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => DataDivision.TakeRows(x, [3]));
    }
}
