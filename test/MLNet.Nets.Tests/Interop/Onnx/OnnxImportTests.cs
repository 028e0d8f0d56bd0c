using MLNet.Nets.Interop.Onnx;
using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Tests.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Tests.Interop.Onnx;

/// <summary>
/// ONNX files become models of our layers: PyTorch's own export of torchvision's MobileNetV2 gives PyTorch's logits, our
/// exports come back bit-exact, the imported model trains, and bad files and unsupported operators give clear errors.
/// </summary>
[TestClass]
public sealed class OnnxImportTests
{
    [TestMethod]
    public void TorchExportOfMobileNetV2_MatchesPyTorch()
    {
        string dir = WeightsPython.GeneratedFilesOf(OnnxTestModels.PeerScript(), "torch_mobilenet_v2");
        var model = OnnxImporter.Load(Path.Combine(dir, "mobilenet_v2.onnx"));
        var x = Npy.Read(Path.Combine(dir, "x.npy"));
        var expected = Npy.Read(Path.Combine(dir, "y.npy"));
        var actual = model.Forward(x);
        CollectionAssert.AreEqual(new[] { 2, 1000 }, actual.Shape.ToArray());
        Numerics.AssertCloseToScale(expected.Span, actual.Span, what: "torchvision mobilenet_v2 logits");
        // Built from our layers: 52 convolutions (BN folded in by the exporter) and the classifier.
        Assert.AreEqual(52, model.Layers.Count(l => l is Conv2D or DepthwiseConv2D));
        Assert.AreEqual(1, model.Layers.Count(l => l is Dense));
    }

    [TestMethod]
    public void RoundTrip_LeNet5_IsBitExact() =>
        RoundTrip(ModelZoo.Create(Architecture.LeNet5, 10, new ZooOptions { Seed = 3, DropoutRate = 0.5f }), OnnxTestModels.Random(1, 4, 1, 28, 28));

    [TestMethod]
    public void RoundTrip_MobileNetV2_IsBitExact() =>
        RoundTrip(ModelZoo.Create(Architecture.MobileNetV2, 10, new ZooOptions { Seed = 3, InputSize = 96 }), OnnxTestModels.Random(2, 2, 3, 96, 96));

    [TestMethod]
    public void RoundTrip_FunctionalAddConcatenateMultiply_IsBitExact() =>
        RoundTrip(OnnxTestModels.Functional(), OnnxTestModels.Random(3, 3, 3, 12, 12));

    [TestMethod]
    public void RoundTrip_EveryImageLayer_IsBitExact() => RoundTrip(OnnxTestModels.AllImageLayers(), OnnxTestModels.Random(4, 2, 3, 17, 15));

    [TestMethod]
    public void RoundTrip_SequenceAndEmbedding_IsBitExact() => RoundTrip(OnnxTestModels.Sequence(), OnnxTestModels.Tokens(5, 3));

    [TestMethod]
    public void BpRegressor_ImportsAsADenseStack_WithItsScalersFoldedIn()
    {
        var (net, x) = OnnxTestModels.BpRegressor();
        using var stream = new MemoryStream();
        OnnxExporter.Export(net, stream);
        stream.Position = 0;
        var model = OnnxImporter.Load(stream);
        CollectionAssert.AreEqual(new[] { "Dense", "ActivationLayer", "Dense" }, model.Layers.Select(l => l.TypeName).ToArray());
        Numerics.AssertCloseToScale(net.Predict(x).Span, model.Forward(x).Span, 1e-5, "imported BP regressor");

        // A constant scaling that is not next to a Dense layer has no layer to live in.
        var proto = OnnxExporter.ToModelProto(net);
        var gemm = proto.Graph!.Node.First(n => n.OpType == "Gemm");
        gemm.OpType = "Relu";
        gemm.Input.RemoveRange(1, gemm.Input.Count - 1);
        gemm.Attribute.Clear();
        var e = Assert.ThrowsException<NotSupportedException>(() => OnnxImporter.FromModelProto(proto));
        StringAssert.Contains(e.Message, "Relu");
    }

    [TestMethod]
    public void ImportedModel_FineTunes()
    {
        var model = Import(ModelZoo.Create(Architecture.LeNet5, 10, new ZooOptions { Seed = 4 }), "finetune");
        var x = OnnxTestModels.Random(6, 32, 1, 28, 28);
        var y = new Tensor(32);
        for (int i = 0; i < 32; i++) y[i] = i % 10;
        model.Compile(new Adam(1e-3f), new SparseCategoricalCrossEntropy());
        var before = model.Parameters.Select(p => p.Value.Clone()).ToArray();
        var history = model.Fit(x, y, batchSize: 8, epochs: 4);
        var losses = history["loss"];
        Assert.IsTrue(losses[^1] < losses[0], $"the loss should fall while fine-tuning: {string.Join(", ", losses)}");
        Assert.IsTrue(model.Parameters.Zip(before).All(p => !p.First.Value.Span.SequenceEqual(p.Second.Span)), "every imported weight is trainable");
    }

    [TestMethod]
    public void UnsupportedOperator_NamesOpTypeAndNode()
    {
        var proto = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.LeNet5, 10));
        var relu = proto.Graph!.Node.First(n => n.OpType == "Relu");
        relu.OpType = "Einsum";
        relu.Name = "my_einsum_node";
        var e = Assert.ThrowsException<NotSupportedException>(() => OnnxImporter.FromModelProto(proto, sourceName: "lenet.onnx"));
        StringAssert.Contains(e.Message, "Einsum");
        StringAssert.Contains(e.Message, "'my_einsum_node'");
        StringAssert.Contains(e.Message, "lenet.onnx");

        var clip = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.MobileNetV2, 10, new ZooOptions { InputSize = 32 }));
        var bound = clip.Graph!.Initializer.First(t => t.Name!.EndsWith("/clip_max", StringComparison.Ordinal));
        bound.RawData = BitConverter.GetBytes(4f);
        e = Assert.ThrowsException<NotSupportedException>(() => OnnxImporter.FromModelProto(clip));
        StringAssert.Contains(e.Message, "Clip to [0, 4]");
    }

    [TestMethod]
    public void TruncatedFile_GivesAnErrorNamingTheFile()
    {
        string dir = OnnxTestModels.Scratch(nameof(TruncatedFile_GivesAnErrorNamingTheFile));
        var bytes = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.LeNet5, 10)).ToByteArray();
        string file = Path.Combine(dir, "cut.onnx");
        foreach (int length in new[] { 0, 1, 7, 100, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(file, bytes[..length]);
            var e = Assert.ThrowsException<InvalidDataException>(() => OnnxImporter.Load(file), $"cut at {length}");
            StringAssert.Contains(e.Message, file, $"cut at {length}");
        }
    }

    [TestMethod]
    public void CorruptFile_GivesOnlyClearErrors()
    {
        var bytes = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.LeNet5, 10)).ToByteArray();
        var random = new Random(7);
        int failures = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var copy = (byte[])bytes.Clone();
            // Damage the structure (the first few kilobytes hold the nodes and the tensors' headers), not only weight bytes.
            for (int k = 0; k < 3; k++) copy[random.Next(Math.Min(copy.Length, 4096))] = (byte)random.Next(256);
            try
            {
                OnnxImporter.Load(new MemoryStream(copy), sourceName: "damaged.onnx");
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                StringAssert.Contains(e.Message, "damaged.onnx");
                failures++;
            }
        }
        Assert.IsTrue(failures > 50, $"most damaged files should be rejected, but only {failures} of 300 were");
    }

    [TestMethod]
    public void NotOnnx_And_HugeDims_And_ExternalData_AreRejectedClearly()
    {
        var e = Assert.ThrowsException<InvalidDataException>(() => OnnxImporter.Load(new MemoryStream("hello, world"u8.ToArray()), sourceName: "text.onnx"));
        StringAssert.Contains(e.Message, "text.onnx");

        // An initializer claiming 2⁴⁰ elements is refused before anything is allocated.
        var proto = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.LeNet5, 10));
        var weight = proto.Graph!.Initializer.First(t => t.Name == "fc1.weight");
        weight.Dims.Clear();
        weight.Dims.AddRange([1L << 20, 1L << 20]);
        var reparsed = ModelProto.Parse(proto.ToByteArray(), "huge.onnx");
        e = Assert.ThrowsException<InvalidDataException>(() => OnnxImporter.FromModelProto(reparsed, sourceName: "huge.onnx"));
        StringAssert.Contains(e.Message, "fc1.weight");

        // Raw data shorter than the dims say.
        proto = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.LeNet5, 10));
        proto.Graph!.Initializer.First(t => t.Name == "conv2.bias").RawData = new byte[12];
        e = Assert.ThrowsException<InvalidDataException>(() => OnnxImporter.FromModelProto(proto));
        StringAssert.Contains(e.Message, "conv2.bias");

        proto = OnnxExporter.ToModelProto(ModelZoo.Create(Architecture.LeNet5, 10));
        var external = proto.Graph!.Initializer.First(t => t.Name == "conv1.weight");
        external.RawData = null;
        external.DataLocation = 1;
        external.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../../etc/passwd" });
        e = Assert.ThrowsException<InvalidDataException>(() => OnnxImporter.FromModelProto(ModelProto.Parse(proto.ToByteArray())));
        StringAssert.Contains(e.Message, "external");
        StringAssert.Contains(e.Message, "conv1.weight");

        var big = Path.Combine(OnnxTestModels.Scratch("too-big"), "big.onnx");
        File.WriteAllBytes(big, new byte[2048]);
        e = Assert.ThrowsException<InvalidDataException>(() => OnnxImporter.Load(big, new OnnxImportOptions { MaxFileBytes = 1024 }));
        StringAssert.Contains(e.Message, "big.onnx");
    }

    [TestMethod]
    public void ModelProto_SurvivesItsOwnWireFormat()
    {
        var proto = OnnxExporter.ToModelProto(OnnxTestModels.Functional());
        var bytes = proto.ToByteArray();
        var again = ModelProto.Parse(bytes);
        CollectionAssert.AreEqual(bytes, again.ToByteArray());
        using var stream = new MemoryStream();
        proto.WriteTo(stream);
        CollectionAssert.AreEqual(bytes, stream.ToArray());
        Assert.AreEqual(proto.Graph!.Node.Count, again.Graph!.Node.Count);
        Assert.AreEqual(17L, again.DefaultOpsetVersion);
    }

    private static Model Import(Model model, string name)
    {
        string file = Path.Combine(OnnxTestModels.Scratch("roundtrip-" + name), name + ".onnx");
        OnnxExporter.Export(model, file);
        return OnnxImporter.Load(file);
    }

    private static void RoundTrip(Model model, Tensor x)
    {
        var expected = model.Forward(x).Clone();
        var imported = Import(model, model.Layers[0].Name ?? "model");
        var actual = imported.Forward(x);
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray());
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected.Span[i]) != BitConverter.SingleToInt32Bits(actual.Span[i]))
            {
                Assert.Fail($"output[{i}]: {expected.Span[i]:R} before the round trip, {actual.Span[i]:R} after");
            }
        }
        Assert.AreEqual(model.Parameters.Sum(p => (long)p.Value.Length), imported.Parameters.Sum(p => (long)p.Value.Length), "parameter count");
    }
}
