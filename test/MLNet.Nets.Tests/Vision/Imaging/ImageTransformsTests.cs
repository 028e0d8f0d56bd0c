using MLNet.Nets.Datasets;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Tests.Vision.Imaging;

[TestClass]
public sealed class ImageTransformsTests
{
    private static Image RandomImage(int seed, int w, int h, ColorMode mode)
    {
        var image = new Image(w, h, mode);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    [TestMethod]
    public void ConversionsMatchPil()
    {
        string path = DataDirectory.Find("images-misc/hotdog.jpg");
        var rgb = ImageDecoder.Decode(path);
        PilReference.AssertPixels(PilReference.Decode([path], "L")[0], rgb.ToGray(), 0, "RGB → L");
        var rgba = new Image(2, 1, ColorMode.Rgba, [200, 100, 0, 128, 10, 20, 30, 0]);
        CollectionAssert.AreEqual(new byte[] { 200, 100, 0, 10, 20, 30 }, rgba.ToRgb().Pixels, "alpha dropped");
        // Composited on white: round((v·a + 255·(255 − a)) / 255).
        CollectionAssert.AreEqual(new byte[] { 227, 177, 127, 255, 255, 255 }, rgba.ToRgb(Rgb24.White).Pixels, "alpha composited");
        var gray = new Image(1, 1, ColorMode.GrayAlpha, [40, 255]);
        CollectionAssert.AreEqual(new byte[] { 40, 40, 40, 255 }, gray.ToRgba().Pixels);
        CollectionAssert.AreEqual(new byte[] { 40 }, gray.ToGray(Rgb24.White).Pixels);
    }

    [TestMethod]
    public void GeometricTransformsAreExact()
    {
        var image = RandomImage(1, 9, 6, ColorMode.Rgb);
        CollectionAssert.AreEqual(image.Pixels, ImageTransforms.FlipHorizontal(ImageTransforms.FlipHorizontal(image)).Pixels);
        CollectionAssert.AreEqual(image.Pixels, ImageTransforms.FlipVertical(ImageTransforms.FlipVertical(image)).Pixels);
        var flipped = ImageTransforms.FlipHorizontal(image);
        CollectionAssert.AreEqual(image.Pixels[..3], flipped.Pixels[(8 * 3)..(9 * 3)], "first pixel moves to the end of the row");
        var crop = ImageTransforms.Crop(image, 2, 1, 3, 4);
        CollectionAssert.AreEqual(image.Pixels[((1 * 9 + 2) * 3)..((1 * 9 + 5) * 3)], crop.Row(0).ToArray());
        CollectionAssert.AreEqual(image.Pixels, ImageTransforms.Rotate(image, 0).Pixels, "rotate 0");
        // A 90° turn of a square image moves pixels exactly: PIL's rotate(90) (counter-clockwise) maps (x, y) ← (w−1−y, x).
        var square = RandomImage(2, 8, 8, ColorMode.Gray);
        var turned = ImageTransforms.Rotate(square, 90);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                Assert.AreEqual(square.Pixels[x * 8 + (7 - y)], turned.Pixels[y * 8 + x], $"({x}, {y})");
    }

    [TestMethod]
    public void SmallRotationMatchesPilInTheInterior()
    {
        string path = DataDirectory.Find("images-misc/tomato.jpg");
        var src = ImageDecoder.Decode(path);
        string dir = Directory.CreateTempSubdirectory("mlnet-rot-").FullName;
        try
        {
            PilReference.Run("""
import sys
from PIL import Image
Image.open(sys.argv[2]).convert("RGB").rotate(7.5, Image.BILINEAR).save(sys.argv[1] + "/rot.png")
""", dir, path);
            var pil = ImageDecoder.Decode(Path.Combine(dir, "rot.png"));
            var ours = ImageTransforms.Rotate(src, 7.5);
            // Same geometry and kernel; PIL's affine uses 8-bit fixed point, so compare away from the borders within ±2.
            int worst = 0;
            for (int y = 80; y < src.Height - 80; y++)
                for (int x = 80; x < src.Width - 80; x++)
                    for (int c = 0; c < 3; c++)
                        worst = Math.Max(worst, Math.Abs(pil.Pixels[(y * src.Width + x) * 3 + c] - ours.Pixels[(y * src.Width + x) * 3 + c]));
            Assert.IsTrue(worst <= 2, $"max interior difference {worst}");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void PhotometricTransformsFollowTheirFormulas()
    {
        var image = new Image(2, 1, ColorMode.Rgba, [100, 200, 10, 77, 0, 50, 255, 99]);
        CollectionAssert.AreEqual(new byte[] { 150, 255, 15, 77, 0, 75, 255, 99 }, ImageTransforms.AdjustBrightness(image, 1.5).Pixels);
        // Luminances round(148.44) = 148 and round(58.42) = 58 → mean 103; contrast 0 gives flat 103, alpha kept.
        CollectionAssert.AreEqual(new byte[] { 103, 103, 103, 77, 103, 103, 103, 99 }, ImageTransforms.AdjustContrast(image, 0).Pixels);
        CollectionAssert.AreEqual(image.Pixels, ImageTransforms.AdjustContrast(image, 1).Pixels);
        CollectionAssert.AreEqual(new byte[] { 97, 255, 0, 77, 0, 0, 255, 99 }, ImageTransforms.AdjustContrast(image, 2).Pixels);
    }

    [TestMethod]
    public void AugmenterIsSeededAndProducesTheRequestedSize()
    {
        var image = RandomImage(3, 120, 90, ColorMode.Rgb);
        var options = new AugmentationOptions
        {
            CropWidth = 64, CropHeight = 48, HorizontalFlipProbability = 0.5, MaxRotationDegrees = 10, Brightness = 0.3, Contrast = 0.3,
        };
        var a = new ImageAugmenter(options, 42);
        var b = new ImageAugmenter(options, 42);
        var c = new ImageAugmenter(options, 43);
        bool anyDifferent = false;
        for (int i = 0; i < 5; i++)
        {
            var ia = a.Apply(image);
            Assert.AreEqual(64, ia.Width);
            Assert.AreEqual(48, ia.Height);
            CollectionAssert.AreEqual(ia.Pixels, b.Apply(image).Pixels, "same seed, same output");
            anyDifferent |= !ia.Pixels.AsSpan().SequenceEqual(c.Apply(image).Pixels);
        }
        Assert.IsTrue(anyDifferent, "a different seed gives different images");
        var none = ImageAugmenter.Apply(image, new AugmentationOptions(), new Random(1));
        CollectionAssert.AreEqual(image.Pixels, none.Pixels, "no augmentation is the identity");
        Assert.AreNotSame(image, none);
        Assert.ThrowsException<ArgumentException>(() => new ImageAugmenter(new AugmentationOptions { CropWidth = 5 }, 1));
    }

    [TestMethod]
    public void RandomResizedCropStaysInsideAndRespectsScale()
    {
        var random = new Random(9);
        for (int i = 0; i < 500; i++)
        {
            int w = 1 + random.Next(400), h = 1 + random.Next(400);
            var (x, y, cw, ch) = ImageAugmenter.SampleCrop(w, h, (0.08, 1.0), (3.0 / 4, 4.0 / 3), random);
            Assert.IsTrue(x >= 0 && y >= 0 && cw >= 1 && ch >= 1 && x + cw <= w && y + ch <= h, $"crop {x},{y},{cw}×{ch} in {w}×{h}");
        }
        // On a large image the first attempt always fits, so the area fraction is inside the requested range.
        for (int i = 0; i < 200; i++)
        {
            var (_, _, cw, ch) = ImageAugmenter.SampleCrop(1000, 1000, (0.25, 0.5), (1.0, 1.0), random);
            double fraction = cw * ch / 1e6;
            Assert.IsTrue(fraction > 0.24 && fraction < 0.51, $"area fraction {fraction}");
            Assert.AreEqual(cw, ch);
        }
    }
}
