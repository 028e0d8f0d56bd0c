using MLNet.Nets.Interop.Onnx;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Tests.Interop.Onnx;

/// <summary>
/// Exported files pass the ONNX checker (python3-onnx, full_check) and give our outputs in ONNX Runtime (through Node):
/// max |ORT − ours| ≤ 1e-4·max |ours|.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    [TestMethod]
    public void BpRegressor_WithScalers_PassesCheckerAndMatchesOrt()
    {
        var (net, x) = OnnxTestModels.BpRegressor();
        Assert.IsNotNull(net.InputScaler);
        Assert.IsNotNull(net.OutputScaler);
        string file = Path.Combine(OnnxTestModels.Scratch(nameof(BpRegressor_WithScalers_PassesCheckerAndMatchesOrt)), "bp.onnx");
        OnnxExporter.Export(net, file);
        OnnxTestModels.Check(file);
        var expected = net.Predict(x);
        var actual = OrtPeer.Run(file, x);
        CollectionAssert.AreEqual(new[] { x.Dim(0), 1 }, actual.Shape.ToArray());
        Numerics.AssertCloseToScale(expected.Span, actual.Span, what: "BP regressor output");
        // The outputs are in the data's units (about 200 ± 150), so the reverse mapping is in the graph.
        Assert.IsTrue(expected.Span.ToArray().Average() > 50, "the regressor's outputs should be in target units");
    }

    [TestMethod]
    public void LeNet5_PassesCheckerAndMatchesOrt() =>
        CheckZoo(ModelZoo.Create(Architecture.LeNet5, 10, new ZooOptions { Seed = 1, DropoutRate = 0.25f }), OnnxTestModels.Random(2, 3, 1, 28, 28), "lenet5");

    [TestMethod]
    public void MobileNetV2_PassesCheckerAndMatchesOrt() =>
        CheckZoo(ModelZoo.Create(Architecture.MobileNetV2, 1000, new ZooOptions { Seed = 1 }), OnnxTestModels.Random(3, 2, 3, 224, 224), "mobilenet_v2");

    [TestMethod]
    public void InceptionV3_PassesCheckerAndMatchesOrt() =>
        CheckZoo(ModelZoo.Create(Architecture.InceptionV3, 1000, new ZooOptions { Seed = 1 }), OnnxTestModels.Random(4, 1, 3, 299, 299), "inception_v3");

    [TestMethod]
    public void EveryImageLayer_MatchesOrt() => CheckZoo(OnnxTestModels.AllImageLayers(), OnnxTestModels.Random(5, 3, 3, 17, 15), "all_image_layers");

    [TestMethod]
    public void SequenceAndEmbeddingLayers_MatchOrt() => CheckZoo(OnnxTestModels.Sequence(), OnnxTestModels.Tokens(6, 4), "sequence");

    [TestMethod]
    public void FunctionalModel_MatchesOrt() => CheckZoo(OnnxTestModels.Functional(), OnnxTestModels.Random(7, 2, 3, 12, 12), "functional");

    [TestMethod]
    public void Opset13_WritesHardSwishAsHardSigmoidTimesX_AndMatchesOrt()
    {
        var input = Input.Create([4, 5, 5], seed: 1);
        var y = new Conv2D(3, 3, activation: Activation.HardSwish, name: "conv").Call(input);
        var model = new Model(input, new Flatten().Call(y));
        var proto = OnnxExporter.ToModelProto(model, new OnnxExportOptions { OpsetVersion = 13 });
        Assert.AreEqual(13L, proto.DefaultOpsetVersion);
        Assert.IsFalse(proto.Graph!.Node.Any(n => n.OpType == "HardSwish"));
        CheckZoo(model, OnnxTestModels.Random(8, 2, 4, 5, 5), "opset13", new OnnxExportOptions { OpsetVersion = 13 });
    }

    [TestMethod]
    public void Graph_HasNamedTypedInputsAndOutputs_WithDynamicBatch()
    {
        var model = ModelZoo.Create(Architecture.LeNet5, 10);
        var graph = OnnxExporter.ToModelProto(model).Graph!;
        Assert.AreEqual(1, graph.Input.Count);
        Assert.AreEqual("input", graph.Input[0].Name);
        Assert.AreEqual(Nets.Interop.Onnx.Protos.TensorDataType.Float, graph.Input[0].Type!.ElementType);
        CollectionAssert.AreEqual(new[] { "batch", "1", "28", "28" }, graph.Input[0].Type!.Shape!.Select(d => d.ToString()).ToArray());
        Assert.AreEqual("output", graph.Output[0].Name);
        CollectionAssert.AreEqual(new[] { "batch", "10" }, graph.Output[0].Type!.Shape!.Select(d => d.ToString()).ToArray());
        CollectionAssert.IsSubsetOf(new[] { "conv1.weight", "conv1.bias", "fc3.weight" }, graph.Initializer.Select(t => t.Name).ToArray());
        var named = OnnxExporter.ToModelProto(model, new OnnxExportOptions { InputNames = ["image"], OutputNames = ["logits"], BatchSize = 4 }).Graph!;
        Assert.AreEqual("image", named.Input[0].Name);
        Assert.AreEqual("logits", named.Output[0].Name);
        Assert.AreEqual("4", named.Input[0].Type!.Shape![0].ToString());
    }

    [TestMethod]
    public void UnexportableLayer_NamesTheLayer_AndLeavesTheEarlierFileIntact()
    {
        string dir = OnnxTestModels.Scratch(nameof(UnexportableLayer_NamesTheLayer_AndLeavesTheEarlierFileIntact));
        string file = Path.Combine(dir, "model.onnx");
        File.WriteAllText(file, "earlier model");
        var input = Input.Create(4);
        var model = new Model(input, new Square(name: "my_square").Call(new Dense(3, name: "fc").Call(input)));
        var e = Assert.ThrowsException<NotSupportedException>(() => OnnxExporter.Export(model, file));
        StringAssert.Contains(e.Message, "'my_square'");
        StringAssert.Contains(e.Message, nameof(Square));
        Assert.AreEqual("earlier model", File.ReadAllText(file));
        CollectionAssert.AreEqual(new[] { file }, Directory.GetFiles(dir));
    }

    [TestMethod]
    public void FailedWrite_LeavesNoPartialFile()
    {
        string dir = OnnxTestModels.Scratch(nameof(FailedWrite_LeavesNoPartialFile));
        string target = Path.Combine(dir, "exists_as_folder.onnx");
        Directory.CreateDirectory(target);
        Assert.ThrowsException<IOException>(() => OnnxExporter.Export(ModelZoo.Create(Architecture.LeNet5, 10), target), "a folder cannot be replaced by the file");
        Assert.AreEqual(0, Directory.GetFiles(dir).Length, "the temporary file is removed");
        string good = Path.Combine(dir, "good.onnx");
        OnnxExporter.Export(ModelZoo.Create(Architecture.LeNet5, 10), good);
        Assert.IsTrue(new FileInfo(good).Length > 200_000, "LeNet-5's 61 706 float weights are in the file");
    }

    private static void CheckZoo(Model model, Tensor x, string name, OnnxExportOptions? options = null)
    {
        string file = Path.Combine(OnnxTestModels.Scratch("export-" + name), name + ".onnx");
        OnnxExporter.Export(model, file, options);
        OnnxTestModels.Check(file);
        var expected = model.Forward(x).Clone();
        var actual = OrtPeer.Run(file, x);
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), $"{name}: output shape");
        Numerics.AssertCloseToScale(expected.Span, actual.Span, what: name);
    }

    /// <summary>A layer without an ONNX form: x².</summary>
    private sealed class Square(string name) : SingleInputLayer(name)
    {
        private Tensor? _y;
        protected override int[] OnBuild(int[] inputShape, Random random) => (int[])inputShape.Clone();
        public override Tensor Forward(Tensor input, bool training)
        {
            var y = Tensor.Reuse(ref _y, input.Shape);
            for (int i = 0; i < y.Length; i++) y.Span[i] = input.Span[i] * input.Span[i];
            return y;
        }
        public override Tensor? Backward(Tensor outputGradient) => throw new InvalidOperationException("not used");
        public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name);
    }
}
