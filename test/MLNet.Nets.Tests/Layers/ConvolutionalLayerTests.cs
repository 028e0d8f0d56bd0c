using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Layers;

[TestClass]
public sealed class ConvolutionalLayerTests
{
    [TestMethod]
    public void Conv2D_SameStride2_WithActivation_PassesGradientCheck()
    {
        var layer = new Conv2D(3, 3, stride: 2, padding: Padding.Same, activation: Activation.Tanh, name: "c");
        ConvolutionalLayerCheck.Gradients(layer, [2, 6, 5]);
        CollectionAssert.AreEqual(new[] { 3, 3, 3 }, layer.OutputShape);
    }

    [TestMethod]
    public void Conv2D_ExplicitPaddingGroupsDilation_PassesGradientCheck()
    {
        var layer = new Conv2D(4, (3, 2), (1, 2), (2, 1, 2, 0), dilation: (2, 1), groups: 2, activation: Activation.Swish);
        ConvolutionalLayerCheck.Gradients(layer, [4, 5, 5]);
        CollectionAssert.AreEqual(new[] { 4, 5, 3 }, layer.OutputShape);
    }

    [TestMethod]
    public void Conv1D_Same_PassesGradientCheck()
    {
        var layer = new Conv1D(3, 4, padding: Padding.Same, activation: Activation.Sigmoid);
        ConvolutionalLayerCheck.Gradients(layer, [2, 9]);
        CollectionAssert.AreEqual(new[] { 3, 9 }, layer.OutputShape);
        CollectionAssert.AreEqual(new[] { 3, 2, 4 }, layer.Weight.Value.Shape.ToArray());
    }

    [TestMethod]
    public void DepthwiseConv2D_MultiplierStride2Same_PassesGradientCheck()
    {
        var layer = new DepthwiseConv2D(3, stride: 2, padding: Padding.Same, depthMultiplier: 2, activation: Activation.Tanh);
        ConvolutionalLayerCheck.Gradients(layer, [2, 6, 6]);
        CollectionAssert.AreEqual(new[] { 4, 3, 3 }, layer.OutputShape);
        CollectionAssert.AreEqual(new[] { 4, 1, 3, 3 }, layer.Weight.Value.Shape.ToArray());
    }

    [TestMethod]
    public void SeparableConv2D_PassesGradientCheck_AndCountsLikeKeras()
    {
        var layer = new SeparableConv2D(5, 3, padding: Padding.Same, depthMultiplier: 2, activation: Activation.Tanh);
        ConvolutionalLayerCheck.Gradients(layer, [3, 5, 4]);
        Assert.AreEqual(3 * 2 * 9 + 3 * 2 * 5 + 5, layer.ParameterCount);
        CollectionAssert.AreEqual(new[] { "depthwise.weight", "pointwise.weight", "pointwise.bias" }, layer.Parameters.Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 5, 5, 4 }, layer.OutputShape);
    }

    [TestMethod]
    public void Conv2DTranspose_SameAndExplicit_PassGradientCheck()
    {
        var same = new Conv2DTranspose(3, 3, stride: 2, padding: Padding.Same, activation: Activation.Tanh);
        ConvolutionalLayerCheck.Gradients(same, [2, 3, 4]);
        CollectionAssert.AreEqual(new[] { 3, 6, 8 }, same.OutputShape);
        CollectionAssert.AreEqual(new[] { 2, 3, 3, 3 }, same.Weight.Value.Shape.ToArray());

        var torch = new Conv2DTranspose(4, (3, 3), (2, 2), (1, 1, 1, 1), outputPadding: (1, 1), groups: 2);
        ConvolutionalLayerCheck.Gradients(torch, [2, 3, 3]);
        CollectionAssert.AreEqual(new[] { 4, 6, 6 }, torch.OutputShape);
        CollectionAssert.AreEqual(new[] { 2, 2, 3, 3 }, torch.Weight.Value.Shape.ToArray());
    }

    [TestMethod]
    public void ParameterShapesCountsAndInit_MatchPyTorch()
    {
        var random = new Random(1);
        var conv = new Conv2D(64, 3);
        conv.Build([[3, 32, 32]], random);
        Assert.AreEqual(1792, conv.ParameterCount);
        CollectionAssert.AreEqual(new[] { "weight", "bias" }, conv.Parameters.Select(p => p.Name).ToArray());
        float bound = 1f / MathF.Sqrt(27);
        foreach (var p in conv.Parameters)
        {
            Assert.IsTrue(p.Value.Span.ToArray().All(v => Math.Abs(v) <= bound), $"{p.Name} within ±1/√fan_in");
            Assert.IsTrue(p.Value.Span.ToArray().Max() > bound * 0.8f, $"{p.Name} spans its range");
        }
        var grouped = new Conv2D(64, 3, groups: 4, useBias: false);
        grouped.Build([[32, 8, 8]], random);
        Assert.AreEqual(64 * 8 * 9, grouped.ParameterCount);
        var depthwise = new DepthwiseConv2D(3, depthMultiplier: 1);
        depthwise.Build([[144, 56, 56]], random);
        Assert.AreEqual(144 * 9 + 144, depthwise.ParameterCount);
        var transposed = new Conv2DTranspose(16, 4, stride: 2);
        transposed.Build([[8, 5, 5]], random);
        Assert.AreEqual(8 * 16 * 16 + 16, transposed.ParameterCount);
        CollectionAssert.AreEqual(new[] { 16, 12, 12 }, transposed.OutputShape);
        float tBound = 1f / MathF.Sqrt(16 * 16);
        Assert.IsTrue(transposed.Weight.Value.Span.ToArray().All(v => Math.Abs(v) <= tBound), "transposed fan_in is (out/groups)·k·k as PyTorch");
        var conv1d = new Conv1D(8, 5, groups: 2);
        conv1d.Build([[4, 20]], random);
        Assert.AreEqual(8 * 2 * 5 + 8, conv1d.ParameterCount);
    }

    [TestMethod]
    public void Conv2D_ForwardMatchesKernelAndShapes_ResNetStem()
    {
        var layer = new Conv2D(8, (7, 7), (2, 2), (3, 3, 3, 3), useBias: false, activation: Activation.ReLU);
        layer.Build([[3, 33, 33]], new Random(2));
        CollectionAssert.AreEqual(new[] { 8, 17, 17 }, layer.OutputShape);
        var x = Tensor.RandomUniform(new Random(3), -1, 1, 2, 3, 33, 33);
        var y = layer.Forward(x, false);
        var g = new MLNet.Nets.Kernels.ConvGeometry(2, 3, 33, 33, 8, 7, 7, 2, 2, 3, 3, 3, 3);
        var z = new float[g.OutputLength];
        MLNet.Nets.Kernels.Convolution.Forward(g, x.Span, layer.Weight.Value.Span, default, z);
        for (int i = 0; i < z.Length; i++) Assert.AreEqual(Math.Max(0, z[i]), y[i], 1e-6f);
    }

    [TestMethod]
    public void Configs_RoundTrip()
    {
        SingleInputLayer[] layers =
        [
            new Conv2D(8, 3, 2, Padding.Same, 1, 2, false, Activation.ReLU6, "a"),
            new Conv2D(8, (1, 7), (1, 1), (0, 3, 0, 3), name: "b"),
            new Conv1D(4, 3, 2, Padding.Same, 2, 1, true, Activation.ELU, "c"),
            new DepthwiseConv2D(5, 2, Padding.Same, 2, 1, false, Activation.HardSwish, "d"),
            new DepthwiseConv2D((3, 3), (2, 2), (1, 1, 1, 1), name: "e"),
            new SeparableConv2D(16, 3, 1, Padding.Same, 2, 1, true, Activation.ReLU, "f"),
            new Conv2DTranspose(6, (4, 4), (2, 2), (1, 1, 1, 1), (1, 1), name: "g"),
            new Conv2DTranspose(6, 3, 2, Padding.Same, name: "h"),
        ];
        foreach (var layer in layers)
        {
            var config = layer.GetConfig();
            var method = layer.GetType().GetMethod("FromConfig")!;
            var copy = (Layer)method.Invoke(null, [new LayerConfig(System.Text.Json.Nodes.JsonNode.Parse(config.ToString())!.AsObject())])!;
            Assert.AreEqual(config.ToString(), copy.GetConfig().ToString(), layer.Name);
        }
    }

    [TestMethod]
    public void BadInput_GivesClearErrors()
    {
        var layer = new Conv2D(4, 5, name: "conv9");
        var e = Assert.ThrowsException<ArgumentException>(() => layer.Build([[3, 4, 4]], new Random(1)));
        StringAssert.Contains(e.Message, "conv9");
        StringAssert.Contains(e.Message, "does not fit");
        layer = new Conv2D(4, 3, name: "conv10");
        layer.Build([[3, 8, 8]], new Random(1));
        e = Assert.ThrowsException<ArgumentException>(() => layer.Forward(new Tensor(2, 4, 8, 8), false));
        StringAssert.Contains(e.Message, "conv10");
        Assert.ThrowsException<ArgumentException>(() => new Conv2D(4, 3, activation: Activation.Softmax));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new Conv2D(6, 3, groups: 4));
    }

    [TestMethod]
    public void FrozenLayerWithoutInputGradient_ReturnsNullAndLeavesGradients()
    {
        var layer = new Conv2D(2, 3, padding: Padding.Same) { NeedsInputGradient = false, Trainable = false };
        layer.Build([[1, 4, 4]], new Random(4));
        var x = Tensor.RandomUniform(new Random(5), -1, 1, 1, 1, 4, 4);
        var y = layer.Forward(x, true);
        Assert.IsNull(layer.Backward(Tensor.Full(1, y.Shape)));
        Assert.IsTrue(layer.Weight.Gradient.Span.ToArray().All(v => v == 0));
    }
}
