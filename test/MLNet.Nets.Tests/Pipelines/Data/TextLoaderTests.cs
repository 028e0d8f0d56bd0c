using MLNet.Nets.Data;
using MLNet.Nets.Datasets;

namespace MLNet.Nets.Tests.Pipelines.Data;

[TestClass]
public sealed class TextLoaderTests
{
    public sealed class HousingRow
    {
        [LoadColumn(0)] public float MedianHomeValue { get; set; }
        [LoadColumn(1, 13), VectorType(13)] public float[] Features { get; set; } = [];
    }

    private static string Temp(string content, string ext = ".csv")
    {
        string path = Path.Combine(Path.GetTempPath(), $"nets-text-{Guid.NewGuid():N}{ext}");
        File.WriteAllText(path, content);
        return path;
    }

    [TestMethod]
    public void TypedLoadReadsHousingExactlyLikeAPlainParse()
    {
        string path = DataDirectory.Find("housing/housing.txt");
        var nets = new NetsContext(0);
        var view = nets.Data.LoadFromTextFile<HousingRow>(path, '\t', hasHeader: true);
        var labels = view.GetColumn<float>("MedianHomeValue");
        var features = view.GetColumn<float>("Features");
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        Assert.AreEqual(506, labels.Length);
        Assert.AreEqual(506 * 13, features.Length);
        for (int r = 0; r < lines.Length; r++)
        {
            var f = lines[r].Split('\t').Select(s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.AreEqual(f[0], labels[r]);
            for (int j = 0; j < 13; j++) Assert.AreEqual(f[j + 1], features[r * 13 + j]);
        }
        Assert.AreEqual("CrimesPerCapita", view.Schema["Features"].Annotations.SlotNames![0]);
        var rows = nets.Data.CreateEnumerable<HousingRow>(view).ToList();
        Assert.AreEqual(24.00f, rows[0].MedianHomeValue);
        Assert.AreEqual(4.98f, rows[0].Features[12]);
    }

    [TestMethod]
    public void InferredSchemaDetectsSeparatorTypesQuotesAndMissingValues()
    {
        string path = Temp("name,size,ok,price\n\"Smith, J\",1.5,true,10\n\"say \"\"hi\"\"\",?,false,\n");
        var loader = new NetsContext(0).Data.LoadFromTextFile(path);
        Assert.AreEqual(',', loader.Separator);
        CollectionAssert.AreEqual(new[] { "name", "size", "ok", "price" }, loader.Schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(DataKind.String, loader.Schema["name"].Type.Kind);
        Assert.AreEqual(DataKind.Single, loader.Schema["size"].Type.Kind);
        Assert.AreEqual(DataKind.Boolean, loader.Schema["ok"].Type.Kind);
        CollectionAssert.AreEqual(new[] { "Smith, J", "say \"hi\"" }, loader.GetColumn<string>("name"));
        var size = loader.GetColumn<float>("size");
        Assert.AreEqual(1.5f, size[0]);
        Assert.IsTrue(float.IsNaN(size[1]));
        Assert.IsTrue(float.IsNaN(loader.GetColumn<float>("price")[1]));
        Assert.AreEqual(2L, loader.CountRows());
    }

    [TestMethod]
    public void BadFieldNamesFileLineAndColumn()
    {
        string path = Temp("a\tb\n1\t2\n3\tx7\n");
        var loader = new NetsContext(0).Data.LoadFromTextFile(path, new[] { new TextLoader.Column("a", DataKind.Single, 0), new TextLoader.Column("b", DataKind.Single, 1) });
        var e = Assert.ThrowsException<InvalidDataException>(() => loader.GetColumn<float>("b"));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "line 3 (data row 2)");
        StringAssert.Contains(e.Message, "column 2 ('b')");
        StringAssert.Contains(e.Message, "'x7'");
    }

    [TestMethod]
    public void RaggedLineAndEmptyFileAreClearErrors()
    {
        string ragged = Temp("a,b,c\n1,2,3\n4,5\n");
        var e = Assert.ThrowsException<InvalidDataException>(() => TextLoader.Infer(ragged).Cache());
        StringAssert.Contains(e.Message, "line 3 (data row 2) has 2 fields but line 1 has 3");
        string empty = Temp("");
        e = Assert.ThrowsException<InvalidDataException>(() => TextLoader.Infer(empty));
        StringAssert.Contains(e.Message, "empty");
        string headerOnly = Temp("a,b\n");
        e = Assert.ThrowsException<InvalidDataException>(() => TextLoader.Infer(headerOnly));
        StringAssert.Contains(e.Message, "no data lines");
    }

    [TestMethod]
    public void BatchesStreamInOrderAndOnlyNeededColumnsAreParsed()
    {
        var content = "x,y\n" + string.Join("\n", Enumerable.Range(0, 2500).Select(i => $"{i},{(i == 2000 ? "bad" : i.ToString())}")) + "\n";
        string path = Temp(content);
        var loader = new TextLoader(path, [new TextLoader.Column("x", DataKind.Int32, 0), new TextLoader.Column("y", DataKind.Single, 1)]);
        var batches = loader.GetBatches([0], batchSize: 1000).ToList();
        CollectionAssert.AreEqual(new[] { 1000, 1000, 500 }, batches.Select(b => b.RowCount).ToArray());
        Assert.AreEqual(2000L, batches[2].RowOffset);
        Assert.AreEqual(2499, batches[2].GetValues<int>(0)[^1]);
        Assert.IsFalse(batches[0].HasColumn(1));
        Assert.AreEqual(2500L, loader.GetRowCount());
        Assert.ThrowsException<InvalidDataException>(() => loader.GetBatches([1]).ToList());
    }
}
