using System.Text.Json;
using MLNet.Nets.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Weights;

[TestClass]
public sealed class OnnxInitializersTests
{
    private static string _dir = "";

    [ClassInitialize]
    public static void MakeFiles(TestContext _)
    {
        _dir = WeightsPython.GeneratedFiles("make_onnx_files.py");
    }

    private static void AssertMatches(System.Collections.Generic.OrderedDictionary<string, MLNet.Nets.Tensors.Tensor> tensors, string json)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, json)));
        int i = 0;
        foreach (var item in expected.RootElement.EnumerateObject())
        {
            Assert.AreEqual(item.Name, tensors.GetAt(i++).Key, "order");
            var tensor = tensors[item.Name];
            CollectionAssert.AreEqual(item.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), tensor.Shape.ToArray(), item.Name);
            var values = item.Value.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            CollectionAssert.AreEqual(values, tensor.Span.ToArray(), item.Name);
        }
        Assert.AreEqual(i, tensors.Count);
    }

    [TestMethod]
    public void Load_AllDataTypesAndEncodings_MatchOnnxHelper()
    {
        var loaded = OnnxInitializers.Load(Path.Combine(_dir, "types.onnx"));
        AssertMatches(loaded.Tensors, "types.json");
        Assert.AreEqual("FLOAT16", loaded.DTypes["w.half"]);
        Assert.AreEqual("INT64", loaded.DTypes["shape"]);
    }

    [TestMethod]
    public void Load_ExternalData_IsReadFromTheModelFolder()
    {
        AssertMatches(OnnxInitializers.Load(Path.Combine(_dir, "ext", "external.onnx")).Tensors, "types.json");
        var e = Assert.ThrowsException<InvalidDataException>(() =>
            OnnxInitializers.Load(File.OpenRead(Path.Combine(_dir, "ext", "external.onnx")), "external.onnx"));
        StringAssert.Contains(e.Message, "external file");
    }

    [TestMethod]
    public void PretrainedWeights_FromTorchExportedOnnx_HasTheStateDictNamesAndValues()
    {
        var weights = PretrainedWeights.FromFile(Path.Combine(_dir, "net.onnx"));
        Assert.AreEqual(WeightsFormat.Onnx, weights.Format);
        AssertMatches(weights.Load(), "net.json");
    }

    [TestMethod]
    public void Load_TruncatedOrCorrupt_GivesClearErrors()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(_dir, "types.onnx"));
        foreach (int cut in new[] { 1, 10, bytes.Length / 2, bytes.Length - 5 })
        {
            var e = Assert.ThrowsException<InvalidDataException>(() => OnnxInitializers.Load(new MemoryStream(bytes, 0, cut), "cut.onnx"), $"cut {cut}");
            StringAssert.Contains(e.Message, "cut.onnx");
        }
        var garbage = Enumerable.Repeat((byte)0xff, 64).ToArray();
        StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => OnnxInitializers.Load(new MemoryStream(garbage), "junk.onnx")).Message, "junk.onnx");
    }

    [TestMethod]
    public void Load_ExternalLocationOutsideTheFolder_IsRefused()
    {
        string dir = Path.Combine(_dir, "escape");
        Directory.CreateDirectory(dir);
        byte[] model = File.ReadAllBytes(Path.Combine(_dir, "ext", "external.onnx"));
        // Same length as "weights.bin" so the protobuf lengths stay valid.
        byte[] from = "weights.bin"u8.ToArray(), to = "../../x.bin"u8.ToArray();
        int at = model.AsSpan().IndexOf(from);
        Assert.IsTrue(at > 0);
        to.CopyTo(model, at);
        File.WriteAllBytes(Path.Combine(dir, "m.onnx"), model);
        var e = Assert.ThrowsException<InvalidDataException>(() => OnnxInitializers.Load(Path.Combine(dir, "m.onnx")));
        StringAssert.Contains(e.Message, "outside the model's folder");
        StringAssert.Contains(e.Message, "initializer 'w.raw'");
    }
}
