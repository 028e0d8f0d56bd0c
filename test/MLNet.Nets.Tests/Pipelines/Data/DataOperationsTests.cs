using MLNet.Nets.Data;

namespace MLNet.Nets.Tests.Pipelines.Data;

[TestClass]
public sealed class DataOperationsTests
{
    public sealed class Row
    {
        public float X { get; set; }
        public string Group { get; set; } = "";
        [VectorType(2)] public float[] V { get; set; } = [];
    }

    private static List<Row> Rows(int n) => Enumerable.Range(0, n).Select(i => new Row { X = i, Group = i % 4 == 0 ? "a" : "b", V = [i, -i] }).ToList();

    [TestMethod]
    public void EnumerableRoundTripsThroughTheView()
    {
        var nets = new NetsContext(1);
        var rows = Rows(2100);
        var view = nets.Data.LoadFromEnumerable(rows);
        Assert.AreEqual(2100L, view.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), view.Schema["V"].Type);
        var back = nets.Data.CreateEnumerable<Row>(view).ToList();
        Assert.AreEqual(2100, back.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(rows[i].X, back[i].X);
            Assert.AreEqual(rows[i].Group, back[i].Group);
            CollectionAssert.AreEqual(rows[i].V, back[i].V);
        }
        var preview = view.Preview(3);
        Assert.AreEqual(3, preview.RowValues.Count);
        StringAssert.StartsWith(preview.ToString(), "X\tGroup\tV");
    }

    [TestMethod]
    public void TrainTestSplitIsSeededDisjointAndComplete()
    {
        var nets = new NetsContext(0);
        var view = nets.Data.LoadFromEnumerable(Rows(1000));
        var split = nets.Data.TrainTestSplit(view, testFraction: 0.2, seed: 5);
        var train = split.TrainSet.GetColumn<float>("X");
        var test = split.TestSet.GetColumn<float>("X");
        Assert.AreEqual(200, test.Length);
        Assert.AreEqual(800, train.Length);
        Assert.AreEqual(200L, split.TestSet.GetRowCount());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 1000).Select(i => (float)i).ToArray(), train.Concat(test).ToArray());
        var again = nets.Data.TrainTestSplit(view, testFraction: 0.2, seed: 5);
        CollectionAssert.AreEqual(test, again.TestSet.GetColumn<float>("X"));
        var other = nets.Data.TrainTestSplit(view, testFraction: 0.2, seed: 6);
        CollectionAssert.AreNotEqual(test, other.TestSet.GetColumn<float>("X"));
    }

    [TestMethod]
    public void StratifiedSplitKeepsEachGroupsShare()
    {
        var nets = new NetsContext(0);
        var view = nets.Data.LoadFromEnumerable(Rows(1000)); // 250 "a", 750 "b"
        var split = nets.Data.TrainTestSplit(view, testFraction: 0.2, stratificationColumnName: "Group", seed: 3);
        var groups = split.TestSet.GetColumn<string>("Group");
        Assert.AreEqual(50, groups.Count(g => g == "a"));
        Assert.AreEqual(150, groups.Count(g => g == "b"));
    }

    [TestMethod]
    public void CrossValidationFoldsPartitionTheRows()
    {
        var nets = new NetsContext(0);
        var view = nets.Data.LoadFromEnumerable(Rows(103));
        var folds = nets.Data.CrossValidationSplit(view, numberOfFolds: 5, seed: 2);
        var seen = new List<float>();
        foreach (var f in folds)
        {
            var test = f.TestSet.GetColumn<float>("X");
            var train = f.TrainSet.GetColumn<float>("X");
            Assert.IsTrue(test.Length is 20 or 21, $"fold size {test.Length}");
            Assert.AreEqual(103, test.Length + train.Length);
            Assert.AreEqual(0, test.Intersect(train).Count());
            seen.AddRange(test);
        }
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 103).Select(i => (float)i).ToArray(), seen.ToArray());
    }

    [TestMethod]
    public void IdxFilesLoadAsLabelAndPixelVector()
    {
        string dir = Nets.Datasets.DataDirectory.Find("mnist");
        var view = new NetsContext(0).Data.LoadFromIdx(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        Assert.AreEqual(10000L, view.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), view.Schema["Features"].Type);
        var labels = view.GetColumn<float>("Label");
        Assert.AreEqual(7f, labels[0]); // the first test digit is a 7
        var (images, tensorLabels) = Nets.Datasets.Mnist.LoadSet(dir, "t10k");
        CollectionAssert.AreEqual(images.Span[..784].ToArray(), view.GetColumn<float>("Features")[..784]);
        Assert.AreEqual(tensorLabels.Span[9999], labels[9999]);
    }
}
