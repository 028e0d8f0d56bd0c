using MLNet.Nets.Datasets;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Tests.Vision.Imaging;

[TestClass]
public sealed class ImageResizerTests
{
    private static string Misc(string file) => DataDirectory.Find(Path.Combine("images-misc", file));

    private static Image RandomImage(Random random, int w, int h, ColorMode mode)
    {
        var image = new Image(w, h, mode);
        random.NextBytes(image.Pixels);
        return image;
    }

    /// <summary>
    /// Direct transcription of the documented definition: double weights per output pixel, 22-bit fixed point,
    /// horizontal pass rounded to bytes over every source row, then the vertical pass. No pooling, no SIMD, no row window.
    /// </summary>
    private static Image NaiveResize(Image src, double x0, double y0, double rw, double rh, int ow, int oh, ResizeFilter filter)
    {
        int c = src.Channels;
        bool needH = ow != src.Width || x0 != 0 || rw != src.Width;
        bool needV = oh != src.Height || y0 != 0 || rh != src.Height;
        var cur = src;
        if (needH)
        {
            var tmp = new Image(ow, src.Height, src.Mode);
            var (first, weights) = NaiveWeights(src.Width, x0, x0 + rw, ow, filter);
            for (int y = 0; y < src.Height; y++)
                for (int x = 0; x < ow; x++)
                    for (int k = 0; k < c; k++)
                    {
                        long s = 1 << 21;
                        for (int j = 0; j < weights[x].Length; j++) s += (long)weights[x][j] * src.Pixels[(y * src.Width + first[x] + j) * c + k];
                        tmp.Pixels[(y * ow + x) * c + k] = (byte)Math.Clamp(s >> 22, 0, 255);
                    }
            cur = tmp;
        }
        if (needV)
        {
            var tmp = new Image(cur.Width, oh, src.Mode);
            var (first, weights) = NaiveWeights(src.Height, y0, y0 + rh, oh, filter);
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < cur.Width * c; x++)
                {
                    long s = 1 << 21;
                    for (int j = 0; j < weights[y].Length; j++) s += (long)weights[y][j] * cur.Pixels[(first[y] + j) * cur.Width * c + x];
                    tmp.Pixels[y * cur.Width * c + x] = (byte)Math.Clamp(s >> 22, 0, 255);
                }
            cur = tmp;
        }
        return ReferenceEquals(cur, src) ? src.Clone() : cur;
    }

    private static (int[] First, int[][] Weights) NaiveWeights(int inSize, double a, double b, int outSize, ResizeFilter filter)
    {
        float fa = (float)a, fb = (float)b;
        a = fa;
        double scale = (double)(float)(fb - fa) / outSize, f = Math.Max(scale, 1), support = (filter == ResizeFilter.Box ? 0.5 : 1.0) * f;
        var first = new int[outSize];
        var weights = new int[outSize][];
        for (int i = 0; i < outSize; i++)
        {
            double center = a + (i + 0.5) * scale;
            int lo = Math.Max((int)(center - support + 0.5), 0), hi = Math.Min((int)(center + support + 0.5), inSize);
            var w = new double[hi - lo];
            for (int j = lo; j < hi; j++)
            {
                double t = (j - center + 0.5) / f;
                w[j - lo] = filter == ResizeFilter.Box ? (t > -0.5 && t <= 0.5 ? 1 : 0) : Math.Max(0, 1 - Math.Abs(t));
            }
            double sum = w.Sum();
            first[i] = lo;
            weights[i] = w.Select(v => sum == 0 ? 0 : (int)Math.Round(v / sum * (1 << 22), MidpointRounding.AwayFromZero)).ToArray();
        }
        return (first, weights);
    }

    [TestMethod]
    public void MatchesNaiveReferenceOnRandomImages()
    {
        var random = new Random(3);
        foreach (var mode in new[] { ColorMode.Gray, ColorMode.GrayAlpha, ColorMode.Rgb, ColorMode.Rgba })
        {
            foreach (var filter in new[] { ResizeFilter.Bilinear, ResizeFilter.Box })
            {
                for (int trial = 0; trial < 6; trial++)
                {
                    int w = 1 + random.Next(70), h = 1 + random.Next(70), ow = 1 + random.Next(60), oh = 1 + random.Next(60);
                    var src = RandomImage(random, w, h, mode);
                    string what = $"{mode} {filter} {w}×{h}→{ow}×{oh}";
                    PilReference.AssertPixels(NaiveResize(src, 0, 0, w, h, ow, oh, filter), ImageResizer.Resize(src, ow, oh, filter), 0, what);
                    double rx = random.NextDouble() * w / 3, ry = random.NextDouble() * h / 3;
                    double rw = (w - rx) * (0.5 + random.NextDouble() / 2), rh = (h - ry) * (0.5 + random.NextDouble() / 2);
                    PilReference.AssertPixels(NaiveResize(src, rx, ry, rw, rh, ow, oh, filter),
                        ImageResizer.ResizeRegion(src, rx, ry, rw, rh, ow, oh, filter), 0, what + " region");
                }
            }
        }
    }

    [TestMethod]
    public void MatchesPilResizeFitAndPad()
    {
        string dir = Directory.CreateTempSubdirectory("mlnet-rs-").FullName;
        try
        {
            var output = PilReference.Run("""
import sys
from PIL import Image, ImageOps
d = sys.argv[1]
ops = []
for name in sys.argv[2:]:
    src = Image.open(name).convert("RGB")
    for mode in ("RGB", "L"):
        im = src.convert(mode)
        ops += [
            im.resize((224, 224), Image.BILINEAR),
            im.resize((224, 224), Image.BOX),
            im.resize((1003, 611), Image.BILINEAR),
            im.resize((97, 333), Image.BOX),
            ImageOps.fit(im, (224, 224), Image.BILINEAR),
            ImageOps.fit(im, (120, 300), Image.BOX),
            ImageOps.pad(im, (224, 224), Image.BILINEAR, color=(255, 0, 128) if mode == "RGB" else 77),
            ImageOps.pad(im, (400, 100), Image.BILINEAR, color=(0, 0, 0) if mode == "RGB" else 0),
        ]
for i, im in enumerate(ops):
    open(f"{d}/{i}.raw", "wb").write(im.tobytes())
    print(i, im.size[0], im.size[1], im.mode)
""", dir, Misc("banana.jpg"), Misc("tomato.bmp"));
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(32, lines.Length);
            int index = 0;
            foreach (var file in new[] { "banana.jpg", "tomato.bmp" })
            {
                var src = ImageDecoder.Decode(Misc(file)).ToRgb();
                foreach (var image in new[] { src, src.ToGray() })
                {
                    bool rgb = image.Mode == ColorMode.Rgb;
                    var ours = new[]
                    {
                        ImageResizer.Resize(image, 224, 224),
                        ImageResizer.Resize(image, 224, 224, ResizeFilter.Box),
                        ImageResizer.Resize(image, 1003, 611),
                        ImageResizer.Resize(image, 97, 333, ResizeFilter.Box),
                        ImageResizer.Resize(image, 224, 224, ResizeFilter.Bilinear, ResizeMode.CropToAspect),
                        ImageResizer.Resize(image, 120, 300, ResizeFilter.Box, ResizeMode.CropToAspect),
                        // PIL's gray pad colour is given directly; (77 = luminance of 100,70,50) keeps the two comparable.
                        ImageResizer.Resize(image, 224, 224, ResizeFilter.Bilinear, ResizeMode.PadToAspect, rgb ? new Rgb24(255, 0, 128) : new Rgb24(100, 70, 50)),
                        ImageResizer.Resize(image, 400, 100, ResizeFilter.Bilinear, ResizeMode.PadToAspect),
                    };
                    foreach (var o in ours)
                    {
                        var f = lines[index].Split(' ');
                        var expected = new Image(int.Parse(f[1]), int.Parse(f[2]), f[3] == "L" ? ColorMode.Gray : ColorMode.Rgb, File.ReadAllBytes(Path.Combine(dir, f[0] + ".raw")));
                        PilReference.AssertPixels(expected, o, 0, $"{file} {image.Mode} op {index % 8}");
                        index++;
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void IdentityAndConstantImagesArePreserved()
    {
        var random = new Random(5);
        var src = RandomImage(random, 31, 17, ColorMode.Rgb);
        CollectionAssert.AreEqual(src.Pixels, ImageResizer.Resize(src, 31, 17).Pixels);
        var flat = new Image(50, 40, ColorMode.Rgba);
        flat.Pixels.AsSpan().Fill(123);
        foreach (var filter in new[] { ResizeFilter.Bilinear, ResizeFilter.Box })
        {
            var r = ImageResizer.Resize(flat, 13, 77, filter);
            Assert.IsTrue(r.Pixels.All(v => v == 123), $"{filter} keeps a constant image constant");
        }
        // Box filter at an integer factor is the exact mean of each block (rounded half up).
        var block = new Image(4, 1, ColorMode.Gray, [0, 10, 20, 31]);
        CollectionAssert.AreEqual(new byte[] { 5, 26 }, ImageResizer.Resize(block, 2, 1, ResizeFilter.Box).Pixels);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ImageResizer.Resize(src, 0, 5));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ImageResizer.ResizeRegion(src, 20, 0, 20, 5, 4, 4));
    }
}
