using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Tests.Vision.Imaging;

[TestClass]
public sealed class PixelExtractorTests
{
    private static Image RandomImage(int seed, int w, int h, ColorMode mode)
    {
        var image = new Image(w, h, mode);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    /// <summary>The formula written out per element: out[c] = (p[src(c)]·scale + offset − mean[c]) / std[c].</summary>
    private static float[] Naive(Image image, PixelExtractionOptions o)
    {
        bool colour = image.Mode is ColorMode.Rgb or ColorMode.Rgba;
        int baseC = colour ? 3 : 1, oc = baseC + (o.KeepAlpha && image.HasAlpha ? 1 : 0);
        var result = new float[oc * image.Width * image.Height];
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                for (int c = 0; c < oc; c++)
                {
                    int s = c == baseC ? image.Channels - 1 : colour && o.Order == ChannelOrder.Bgr ? 2 - c : c;
                    double mean = o.Mean is null ? 0 : o.Mean.Length == 1 ? o.Mean[0] : o.Mean[c];
                    double std = o.Std is null ? 1 : o.Std.Length == 1 ? o.Std[0] : o.Std[c];
                    double v = (image.Pixels[(y * image.Width + x) * image.Channels + s] * (double)o.Scale + o.Offset - mean) / std;
                    int at = o.Layout == PixelLayout.Planar ? (c * image.Height + y) * image.Width + x : (y * image.Width + x) * oc + c;
                    result[at] = (float)v;
                }
        return result;
    }

    [TestMethod]
    public void MatchesNaiveFormulaForEveryLayoutOrderAndMode()
    {
        var options = new List<PixelExtractionOptions>
        {
            new(),
            PixelExtractionOptions.ImageNet,
            new() { Layout = PixelLayout.Interleaved, Order = ChannelOrder.Bgr, Scale = 2f / 255f, Offset = -1f },
            new() { Layout = PixelLayout.Interleaved, Scale = 1f / 255f },
            new() { Layout = PixelLayout.Planar, Order = ChannelOrder.Bgr, Mean = [103.94f, 116.78f, 123.68f, 0f], KeepAlpha = true },
            new() { Layout = PixelLayout.Interleaved, Mean = [0.5f], Std = [0.25f], Scale = 1f / 255f, KeepAlpha = true },
        };
        int seed = 0;
        foreach (var mode in new[] { ColorMode.Gray, ColorMode.GrayAlpha, ColorMode.Rgb, ColorMode.Rgba })
        {
            foreach (var o in options)
            {
                var image = RandomImage(seed++, 37, 23, mode);
                var tensor = PixelExtractor.Extract(image, o);
                var expected = Naive(image, o);
                int oc = PixelExtractor.OutputChannels(image, o);
                int[] shape = o.Layout == PixelLayout.Planar ? [oc, 23, 37] : [23, 37, oc];
                Assert.IsTrue(tensor.HasShape(shape), $"{mode}: shape {tensor.ShapeString}");
                MLNet.Nets.Tests.Support.Numerics.AssertClose(expected, tensor.Span, 1e-5f, 1e-5f, $"{mode} {o.Layout} {o.Order}");
            }
        }
    }

    [TestMethod]
    public void ImageNetPresetMatchesTorchvision()
    {
        var image = RandomImage(11, 9, 7, ColorMode.Rgb);
        string bytes = string.Join(",", image.Pixels);
        var output = PilReference.Run($$"""
import torch, numpy as np
from torchvision import transforms
a = np.array([{{bytes}}], dtype=np.uint8).reshape(7, 9, 3)
t = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])(transforms.ToTensor()(a))
print(" ".join(repr(float(v)) for v in t.flatten()))
""");
        var expected = output.Trim().Split(' ').Select(float.Parse).ToArray();
        var ours = PixelExtractor.Extract(image, PixelExtractionOptions.ImageNet);
        MLNet.Nets.Tests.Support.Numerics.AssertClose(expected, ours.Span, 1e-5f, 1e-5f, "ImageNet normalisation");
    }

    [TestMethod]
    public void WritesIntoABatchSlice()
    {
        var image = RandomImage(2, 5, 4, ColorMode.Rgb);
        var batch = new float[2 * 3 * 5 * 4];
        PixelExtractor.Extract(image, batch.AsSpan(60), PixelExtractionOptions.ImageNet);
        Assert.IsTrue(batch.AsSpan(0, 60).ToArray().All(v => v == 0), "first sample untouched");
        CollectionAssert.AreEqual(PixelExtractor.Extract(image, PixelExtractionOptions.ImageNet).Span.ToArray(), batch.AsSpan(60).ToArray());
        Assert.ThrowsException<ArgumentException>(() => PixelExtractor.Extract(image, new float[10]));
        Assert.ThrowsException<ArgumentException>(() => PixelExtractor.Extract(image, new PixelExtractionOptions { Std = [1f, 0f, 1f] }));
    }
}
