using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Layers;

[TestClass]
public sealed class PoolingLayerTests
{
    [TestMethod]
    public void MaxPool2D_ShapesAndGradient()
    {
        var layer = new MaxPool2D(2);
        // Max pooling is piecewise linear; a small step keeps finite differences on one piece.
        ConvolutionalLayerCheck.Gradients(layer, [2, 5, 6], h: 1e-5);
        CollectionAssert.AreEqual(new[] { 2, 2, 3 }, layer.OutputShape);
        var same = new MaxPool2D(3, 2, Padding.Same);
        ConvolutionalLayerCheck.Gradients(same, [2, 6, 7], h: 1e-5);
        CollectionAssert.AreEqual(new[] { 2, 3, 4 }, same.OutputShape);
        var torch = new MaxPool2D((3, 3), (2, 2), (1, 1, 1, 1));
        ConvolutionalLayerCheck.Gradients(torch, [1, 7, 7], h: 1e-5);
        CollectionAssert.AreEqual(new[] { 1, 4, 4 }, torch.OutputShape);
    }

    [TestMethod]
    public void AvgPool2D_ShapesGradientAndDivisorDefaults()
    {
        var same = new AvgPool2D(2, 2, Padding.Same);
        Assert.IsFalse(same.CountIncludePad, "Keras SAME excludes padding");
        ConvolutionalLayerCheck.Gradients(same, [2, 3, 3]);
        var torch = new AvgPool2D((3, 3), (1, 1), (1, 1, 1, 1));
        Assert.IsTrue(torch.CountIncludePad, "PyTorch default includes padding");
        ConvolutionalLayerCheck.Gradients(torch, [2, 4, 5]);
        var x = new Tensor([1f, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        var layer = new AvgPool2D(2, 2, Padding.Same);
        layer.Build([[1, 3, 3]], new Random(1));
        CollectionAssert.AreEqual(new[] { 3f, 4.5f, 7.5f, 9f }, layer.Forward(x, false).Span.ToArray());
    }

    [TestMethod]
    public void Pool1D_ShapesAndGradient()
    {
        var max = new MaxPool1D(3, 2, Padding.Same);
        ConvolutionalLayerCheck.Gradients(max, [2, 9], h: 1e-5);
        CollectionAssert.AreEqual(new[] { 2, 5 }, max.OutputShape);
        var avg = new AvgPool1D(2);
        ConvolutionalLayerCheck.Gradients(avg, [3, 7]);
        CollectionAssert.AreEqual(new[] { 3, 3 }, avg.OutputShape);
        var padded = new AvgPool1D(3, 1, (1, 1));
        ConvolutionalLayerCheck.Gradients(padded, [2, 5]);
        CollectionAssert.AreEqual(new[] { 2, 5 }, padded.OutputShape);
    }

    [TestMethod]
    public void GlobalPools_ShapesAndGradient()
    {
        var avg = new GlobalAvgPool2D();
        ConvolutionalLayerCheck.Gradients(avg, [3, 4, 5]);
        CollectionAssert.AreEqual(new[] { 3 }, avg.OutputShape);
        var max = new GlobalMaxPool2D(keepDims: true);
        ConvolutionalLayerCheck.Gradients(max, [3, 4, 5], h: 1e-5);
        CollectionAssert.AreEqual(new[] { 3, 1, 1 }, max.OutputShape);
    }

    [TestMethod]
    public void ZeroPadding2D_ShapesValuesAndGradient()
    {
        var layer = new ZeroPadding2D(0, 1, 2, 1);
        ConvolutionalLayerCheck.Gradients(layer, [2, 3, 4]);
        CollectionAssert.AreEqual(new[] { 2, 4, 7 }, layer.OutputShape);
        var x = new Tensor([1f, 2, 3, 4], 1, 1, 2, 2);
        var pad = new ZeroPadding2D(1);
        pad.Build([[1, 2, 2]], new Random(1));
        CollectionAssert.AreEqual(new float[] { 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0 }, pad.Forward(x, false).Span.ToArray());
    }

    [TestMethod]
    public void Configs_RoundTrip()
    {
        SingleInputLayer[] layers =
        [
            new MaxPool2D(3, 2, Padding.Same, "a"),
            new MaxPool2D((3, 3), (2, 2), (1, 1, 1, 1), "b"),
            new AvgPool2D(2, null, Padding.Valid, false, "c"),
            new AvgPool2D((3, 3), (1, 1), (1, 1, 1, 1), name: "d"),
            new MaxPool1D(2, null, Padding.Valid, "e"),
            new AvgPool1D(3, 1, (1, 1), true, "f"),
            new GlobalAvgPool2D(true, "g"),
            new GlobalMaxPool2D(false, "h"),
            new ZeroPadding2D(1, 2, 3, 4, "i"),
        ];
        foreach (var layer in layers)
        {
            var config = layer.GetConfig();
            var copy = (Layer)layer.GetType().GetMethod("FromConfig")!.Invoke(null,
                [new LayerConfig(System.Text.Json.Nodes.JsonNode.Parse(config.ToString())!.AsObject())])!;
            Assert.AreEqual(config.ToString(), copy.GetConfig().ToString(), layer.Name);
        }
    }

    [TestMethod]
    public void BadShapes_GiveClearErrors()
    {
        var e = Assert.ThrowsException<ArgumentException>(() => new MaxPool2D(3, name: "pool3").Build([[2, 2, 2]], new Random(1)));
        StringAssert.Contains(e.Message, "pool3");
        e = Assert.ThrowsException<ArgumentException>(() => new MaxPool1D(2, name: "p1").Build([[2, 2, 2]], new Random(1)));
        StringAssert.Contains(e.Message, "[N, C, L]");
    }
}
