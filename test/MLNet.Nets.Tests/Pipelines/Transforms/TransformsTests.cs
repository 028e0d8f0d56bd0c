using System.Globalization;
using System.Text.Json;
using MLNet.Nets.Data;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Transforms;

namespace MLNet.Nets.Tests.Pipelines.Transforms;

[TestClass]
public sealed class TransformsTests
{
    public sealed class Row
    {
        public float A { get; set; }
        public float B { get; set; }
        [VectorType(2)] public float[] V { get; set; } = [];
        public string Color { get; set; } = "";
    }

    /// <summary>3000 rows (more than two batches) with missing values and a constant slot.</summary>
    private static List<Row> Rows()
    {
        var random = new Random(7);
        string[] colors = ["red", "green", "blue"];
        return Enumerable.Range(0, 3000).Select(i => new Row
        {
            A = i % 97 == 0 ? float.NaN : (float)(random.NextDouble() * 20 - 5),
            B = (float)Math.Exp(random.NextDouble() * 3),
            V = [(float)(random.NextDouble() * 4), 2.5f],
            Color = colors[random.Next(3)],
        }).ToList();
    }

    private static double[][] Sklearn(string script, object input) =>
        JsonSerializer.Deserialize<double[][]>(Python.Run("import json, sys, math, numpy as np\nfrom sklearn import preprocessing as P, impute as I\nd = json.load(sys.stdin)\n" + script,
            JsonSerializer.Serialize(input)))!;

    private static void Close(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what} [{i}]");
    }

    [TestMethod]
    public void NormalizersMatchScikitLearnAndTheirDefinitions()
    {
        var nets = new NetsContext(0);
        var rows = Rows();
        var data = nets.Data.LoadFromEnumerable(rows);
        var b = rows.Select(r => (double)r.B).ToArray();
        var v = rows.SelectMany(r => r.V.Select(x => (double)x)).ToArray();
        var reference = Sklearn("""
            b = np.array(d['b']).reshape(-1, 1); v = np.array(d['v']).reshape(-1, 2)
            mm = P.MinMaxScaler(feature_range=(-1, 1)).fit_transform(v).ravel()
            m01 = P.MinMaxScaler().fit_transform(b).ravel()
            ss = P.StandardScaler().fit_transform(b).ravel()
            lb = np.log(b); z = (lb - lb.mean()) / lb.std()
            cdf = np.array([0.5 * math.erfc(-t / math.sqrt(2)) for t in z.ravel()])
            print(json.dumps([mm.tolist(), m01.tolist(), ss.tolist(), cdf.tolist(), (b / b.std()).ravel().tolist()]))
            """, new { b, v });

        var mapped = nets.Transforms.NormalizeMinMax("V", -1, 1).Fit(data).Transform(data).GetColumn<float>("V");
        // sklearn maps a constant feature to the low end; mapminmax (ours) to the middle of the range, as MATLAB does.
        var expected = reference[0].Select((x, i) => i % 2 == 1 ? 0.0 : x).ToArray();
        Close(expected, mapped, 1e-6, "mapminmax [-1, 1]");
        Close(reference[1], nets.Transforms.NormalizeMinMax("B", fixZero: false).Fit(data).Transform(data).GetColumn<float>("B"), 1e-6, "min-max [0, 1]");
        var fixZero = nets.Transforms.NormalizeMinMax("B").Fit(data).Transform(data).GetColumn<float>("B");
        Close(b.Select(x => x / b.Max()).ToArray(), fixZero, 1e-6, "min-max fixZero = x / max|x|");
        Close(reference[2], nets.Transforms.NormalizeMeanVariance("B", fixZero: false).Fit(data).Transform(data).GetColumn<float>("B"), 1e-5, "mean-variance");
        Close(reference[4], nets.Transforms.NormalizeMeanVariance("B").Fit(data).Transform(data).GetColumn<float>("B"), 1e-5, "mean-variance fixZero = x / std");
        Close(reference[3], nets.Transforms.NormalizeLogMeanVariance("B").Fit(data).Transform(data).GetColumn<float>("B"), 1e-5, "log-mean-variance CDF");
    }

    [TestMethod]
    public void ReverseNormalizeRecoversTheOriginalUnits()
    {
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromEnumerable(Rows());
        var pipeline = nets.Transforms.NormalizeMinMax("Bn", -1, 1, inputColumnName: "B")
            .Append(nets.Transforms.ReverseNormalize("Back", "Bn", normalizedColumnName: "Bn"));
        var result = pipeline.Fit(data).Transform(data);
        var original = result.GetColumn<float>("B");
        var back = result.GetColumn<float>("Back");
        for (int i = 0; i < original.Length; i++) Assert.AreEqual(original[i], back[i], 2e-6 * Math.Abs(original[i]), $"row {i}");
        var e = Assert.ThrowsException<ArgumentException>(() => nets.Transforms.NormalizeLogMeanVariance("B")
            .Append(nets.Transforms.ReverseNormalize("Back", "B", "B")).Fit(data));
        StringAssert.Contains(e.Message, "no inverse");
    }

    [TestMethod]
    public void ReplaceMissingValuesMatchesSimpleImputer()
    {
        var nets = new NetsContext(0);
        var rows = Rows();
        var data = nets.Data.LoadFromEnumerable(rows);
        var a = rows.Select(r => float.IsNaN(r.A) ? (double?)null : r.A).ToArray();
        var reference = Sklearn("""
            a = np.array([np.nan if x is None else x for x in d['a']]).reshape(-1, 1)
            print(json.dumps([I.SimpleImputer(strategy=s).fit_transform(a).ravel().tolist() for s in ['mean', 'most_frequent']][:1]))
            """, new { a });
        var replaced = nets.Transforms.ReplaceMissingValues("A", replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean).Fit(data).Transform(data).GetColumn<float>("A");
        Close(reference[0], replaced, 1e-6, "mean imputation");
        Assert.AreEqual(0f, nets.Transforms.ReplaceMissingValues("A").Fit(data).Transform(data).GetColumn<float>("A")[0], "ML.NET's default replaces with 0");
        var min = nets.Transforms.ReplaceMissingValues("A", replacementMode: MissingValueReplacingEstimator.ReplacementMode.Minimum).Fit(data).Transform(data).GetColumn<float>("A");
        Assert.AreEqual(rows.Where(r => !float.IsNaN(r.A)).Min(r => r.A), min[0]);
    }

    [TestMethod]
    public void KeyMappingRoundTripsAndOneHotEncodes()
    {
        var nets = new NetsContext(0);
        var rows = Rows();
        var data = nets.Data.LoadFromEnumerable(rows);
        var keys = nets.Transforms.Conversion.MapValueToKey("Key", "Color", keyOrdinality: KeyOrdinality.ByValue).Fit(data);
        CollectionAssert.AreEqual(new[] { "blue", "green", "red" }, (string[])keys.KeyValues);
        var mapped = keys.Transform(data);
        var k = mapped.GetColumn<uint>("Key");
        for (int i = 0; i < rows.Count; i++) Assert.AreEqual(rows[i].Color, ((string[])keys.KeyValues)[k[i] - 1]);
        var back = nets.Transforms.Conversion.MapKeyToValue("Back", "Key").Fit(mapped).Transform(mapped).GetColumn<string>("Back");
        CollectionAssert.AreEqual(rows.Select(r => r.Color).ToArray(), back);
        Assert.AreEqual(0u, keys.KeyOf("purple"), "unseen values map to the missing key");

        var occurrence = nets.Transforms.Conversion.MapValueToKey("Color").Fit(data);
        Assert.AreEqual(rows[0].Color, ((string[])occurrence.KeyValues)[0], "by occurrence: the first row's value is key 1");

        var oneHot = nets.Transforms.Categorical.OneHotEncoding("Hot", "Color").Fit(data).Transform(data);
        var hot = oneHot.GetColumn<float>("Hot");
        var slots = oneHot.Schema["Hot"].Annotations.SlotNames!;
        for (int i = 0; i < rows.Count; i++)
        {
            for (int s = 0; s < 3; s++) Assert.AreEqual(slots[s] == rows[i].Color ? 1f : 0f, hot[i * 3 + s]);
        }
    }

    [TestMethod]
    public void ColumnOperationsShapeTheSchema()
    {
        var nets = new NetsContext(0);
        var rows = Rows();
        var data = nets.Data.LoadFromEnumerable(rows);
        var result = nets.Transforms.Concatenate("F", "A", "V", "B")
            .Append(nets.Transforms.CopyColumns("G", "F"))
            .Append(nets.Transforms.DropColumns("Color"))
            .Fit(data).Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), result.Schema["F"].Type);
        CollectionAssert.AreEqual(new[] { "A", "V[0]", "V[1]", "B" }, result.Schema["F"].Annotations.SlotNames!.ToArray());
        Assert.IsNull(result.Schema.GetColumnOrNull("Color"));
        var f = result.GetColumn<float>("G");
        Assert.AreEqual(rows[5].B, f[5 * 4 + 3]);
        Assert.AreEqual(rows[5].V[0], f[5 * 4 + 1]);
        var selected = nets.Transforms.SelectColumns("B", "A").Fit(data).Transform(data);
        CollectionAssert.AreEqual(new[] { "A", "B" }, selected.Schema.Select(c => c.Name).ToArray());
        var e = Assert.ThrowsException<ArgumentException>(() => nets.Transforms.Concatenate("F", "A", "Nope").Fit(data));
        StringAssert.Contains(e.Message, "'Nope'");
        e = Assert.ThrowsException<ArgumentException>(() => nets.Transforms.Concatenate("F", "A", "Color").Fit(data));
        StringAssert.Contains(e.Message, "'Color'");
    }

    public sealed class In { public float A { get; set; } public float B { get; set; } }
    public sealed class Out { public float Sum { get; set; } }

    [TestMethod]
    public void AWholeChainSavesLoadsAndGivesIdenticalOutputs()
    {
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromEnumerable(Rows());
        var pipeline = nets.Transforms.ReplaceMissingValues("A")
            .Append(nets.Transforms.CustomMapping<In, Out>((i, o) => o.Sum = i.A + i.B, "sum-a-b"))
            .Append(nets.Transforms.Concatenate("F", "A", "V", "B", "Sum"))
            .Append(nets.Transforms.NormalizeMinMax("F", -1, 1))
            .Append(nets.Transforms.NormalizeMeanVariance("Fz", "F", fixZero: false))
            .Append(nets.Transforms.NormalizeLogMeanVariance("Bl", "B"))
            .Append(nets.Transforms.Categorical.OneHotEncoding("Hot", "Color"))
            .Append(nets.Transforms.Conversion.MapValueToKey("Key", "Color"))
            .Append(nets.Transforms.SelectColumns("Fz", "Bl", "Hot", "Key"));
        var model = pipeline.Fit(data);
        var before = model.Transform(data).Cache();
        string path = Path.Combine(Path.GetTempPath(), $"chain-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        var loaded = nets.Model.Load(path, out var schema);
        Assert.AreEqual(data.Schema.Count, schema!.Count);
        var after = loaded.Transform(data).Cache();
        foreach (var column in before.Schema)
        {
            var x = before.GetColumnArray(column.Index);
            var y = after.GetColumnArray(after.Schema[column.Name].Index);
            CollectionAssert.AreEqual(x, y, column.Name);
        }
        Assert.AreEqual("Key", after.Schema["Key"].Name);
        Assert.IsNotNull(after.Schema["Key"].Annotations.KeyValues);
    }

    [TestMethod]
    public void AnUnregisteredCustomMappingCannotLoad()
    {
        var nets = new NetsContext(0);
        var data = nets.Data.LoadFromEnumerable(Rows());
        var model = nets.Transforms.CustomMapping<In, Out>((i, o) => o.Sum = i.A * 2, "double-a-" + Guid.NewGuid().ToString("N")).Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"custom-{Guid.NewGuid():N}.zip");
        nets.Model.Save(model, data.Schema, path);
        var text = File.ReadAllBytes(path);
        // Rename the contract inside the file: loading must refuse the unknown name rather than run anything.
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            string manifest;
            using (var r = new StreamReader(entry.Open())) manifest = r.ReadToEnd();
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write(manifest.Replace("double-a-", "unknown-", StringComparison.Ordinal));
        }
        var e = Assert.ThrowsException<InvalidDataException>(() => nets.Model.Load(path, out _));
        StringAssert.Contains(e.Message, "not registered");
        var unnamed = nets.Transforms.CustomMapping<In, Out>((i, o) => o.Sum = 1, null).Fit(data);
        Assert.ThrowsException<InvalidOperationException>(() => nets.Model.Save(unnamed, data.Schema, path));
        Assert.IsTrue(text.Length > 0);
    }
}
