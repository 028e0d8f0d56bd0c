using MLNet.Nets.Datasets;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Tests.Vision.Imaging;

[TestClass]
public sealed class ImageDecoderTests
{
    private static string Misc(string file) => DataDirectory.Find(Path.Combine("images-misc", file));

    private static string TempDir() => Directory.CreateTempSubdirectory("mlnet-img-").FullName;

    [TestMethod]
    public void EveryMiscImageMatchesPil()
    {
        var files = Directory.GetFiles(DataDirectory.Find("images-misc"))
            .Where(f => f.EndsWith(".jpg") || f.EndsWith(".png") || f.EndsWith(".bmp") || f.EndsWith(".gif")).OrderBy(f => f).ToList();
        Assert.AreEqual(8, files.Count, "images-misc image count");
        var reference = PilReference.Decode(files, "RGB");
        for (int i = 0; i < files.Count; i++)
        {
            var ours = ImageDecoder.Decode(files[i]).ToRgb();
            int tolerance = files[i].EndsWith(".jpg") ? 1 : 0;
            PilReference.AssertPixels(reference[i], ours, tolerance, Path.GetFileName(files[i]));
        }
    }

    [TestMethod]
    public void PhotoSampleMatchesPilWithinOne()
    {
        var files = Directory.GetFiles(DataDirectory.Find("photos"), "*.jpg", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.AreEqual(200, files.Count);
        var sample = files.Where((_, i) => i % 5 == 0).ToList();
        var reference = PilReference.Decode(sample, "RGB");
        for (int i = 0; i < sample.Count; i++)
        {
            var ours = ImageDecoder.Decode(sample[i]);
            Assert.AreEqual(ColorMode.Rgb, ours.Mode);
            PilReference.AssertPixels(reference[i], ours, 1, sample[i]);
        }
    }

    [TestMethod]
    public void JpegMatchesDjpegExactly()
    {
        // djpeg (libjpeg-turbo-progs) with its default islow DCT and fancy upsampling writes a PPM we also decode.
        string dir = TempDir();
        try
        {
            foreach (var name in new[] { "banana.jpg", "tomato.jpg" })
            {
                string ppm = Path.Combine(dir, name + ".ppm");
                var psi = new System.Diagnostics.ProcessStartInfo("djpeg", $"-dct int -outfile \"{ppm}\" \"{Misc(name)}\"") { UseShellExecute = false };
                using (var p = System.Diagnostics.Process.Start(psi)!) { p.WaitForExit(); Assert.AreEqual(0, p.ExitCode, "djpeg"); }
                var reference = ImageDecoder.Decode(ppm);
                var ours = ImageDecoder.Decode(Misc(name), new ImageDecoderOptions { IgnoreExifOrientation = true });
                PilReference.AssertPixels(reference, ours, 0, name);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void CmykJpegDecodesToRgb()
    {
        var image = ImageDecoder.Decode(Misc("taco_invalidpixelformat.jpg"));
        Assert.AreEqual(ColorMode.Rgb, image.Mode);
        Assert.AreEqual(1500, image.Width);
        Assert.AreEqual(1000, image.Height);
    }

    [TestMethod]
    public void GrayProgressive444JpegsAndExifOrientationMatchPil()
    {
        string dir = TempDir();
        try
        {
            PilReference.Run("""
import sys
from PIL import Image
src = Image.open(sys.argv[2]).convert("RGB").crop((0, 0, 301, 157))
src.convert("L").save(sys.argv[1] + "/gray.jpg", quality=90)
src.save(sys.argv[1] + "/progressive.jpg", quality=85, progressive=True)
src.save(sys.argv[1] + "/s444.jpg", quality=95, subsampling=0)
for o in range(1, 9):
    exif = Image.Exif()
    exif[0x0112] = o
    src.save(f"{sys.argv[1]}/o{o}.jpg", quality=92, exif=exif.tobytes())
""", dir, Misc("hotdog.jpg"));
            var files = new[] { "gray.jpg", "progressive.jpg", "s444.jpg" }.Concat(Enumerable.Range(1, 8).Select(o => $"o{o}.jpg")).Select(f => Path.Combine(dir, f)).ToList();
            var reference = PilReference.Decode(files, "RGB");
            for (int i = 0; i < files.Count; i++)
            {
                var ours = ImageDecoder.Decode(files[i]);
                if (i == 0) Assert.AreEqual(ColorMode.Gray, ours.Mode, "gray JPEG mode");
                PilReference.AssertPixels(reference[i], ours.ToRgb(), 1, Path.GetFileName(files[i]));
            }
            string o6 = Path.Combine(dir, "o6.jpg");
            var raw = ImageDecoder.Decode(o6, new ImageDecoderOptions { IgnoreExifOrientation = true });
            Assert.AreEqual(301, raw.Width, "orientation ignored keeps the stored width");
            Assert.AreEqual(157, ImageDecoder.Decode(o6).Width, "orientation 6 swaps width and height");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void PilWrittenPngBmpPnmMatchPil()
    {
        string dir = TempDir();
        try
        {
            PilReference.Run("""
import sys
from PIL import Image
d = sys.argv[1]
src = Image.open(sys.argv[2]).convert("RGB").crop((100, 50, 237, 141))
src.save(d + "/rgb.png")
src.convert("RGBA").save(d + "/rgba_opaque.png")
a = src.convert("RGBA"); a.putalpha(src.convert("L")); a.save(d + "/rgba.png")
a.convert("LA").save(d + "/la.png")
src.convert("L").save(d + "/l.png")
src.convert("1").save(d + "/bilevel.png")
p = src.convert("P", palette=Image.ADAPTIVE, colors=200); p.info["transparency"] = 3; p.save(d + "/p_trns.png", transparency=3)
src.convert("P", palette=Image.ADAPTIVE, colors=16).save(d + "/p16.png", bits=4)
src.convert("RGB").save(d + "/rgb.bmp")
src.convert("L").save(d + "/l.bmp")
src.convert("1").save(d + "/bilevel.bmp")
src.convert("P", palette=Image.ADAPTIVE, colors=100).save(d + "/p.bmp")
src.save(d + "/rgb.ppm")
src.convert("L").save(d + "/l.pgm")
src.save(d + "/rgb.gif")
""", dir, Misc("tomato.jpg"));
            var files = Directory.GetFiles(dir).OrderBy(f => f).ToList();
            var reference = PilReference.Decode(files, "RGBA");
            for (int i = 0; i < files.Count; i++)
            {
                var ours = ImageDecoder.Decode(files[i]).ToRgba();
                PilReference.AssertPixels(reference[i], ours, 0, Path.GetFileName(files[i]));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void GeneratedPngsOfEveryColourTypeDepthAndInterlaceDecodeExactly()
    {
        var random = new Random(7);
        string dir = TempDir();
        try
        {
            var cases = new List<(string File, Image Expected)>();
            foreach (var (type, depths) in new[] { (0, new[] { 1, 2, 4, 8, 16 }), (2, new[] { 8, 16 }), (3, new[] { 1, 2, 4, 8 }), (4, new[] { 8, 16 }), (6, new[] { 8, 16 }) })
            {
                foreach (int depth in depths)
                {
                    foreach (bool interlace in new[] { false, true })
                    {
                        foreach (bool withTrns in type is 0 or 2 or 3 ? new[] { false, true } : new[] { false })
                        {
                            int w = 13 + random.Next(9), h = 11 + random.Next(9);
                            var (png, expected) = MakeCase(random, w, h, type, depth, interlace, withTrns);
                            string file = Path.Combine(dir, $"t{type}_d{depth}_{(interlace ? "i" : "n")}{(withTrns ? "_trns" : "")}.png");
                            File.WriteAllBytes(file, png);
                            cases.Add((file, expected));
                        }
                    }
                }
            }
            foreach (var (file, expected) in cases)
            {
                PilReference.AssertPixels(expected, ImageDecoder.Decode(file), 0, Path.GetFileName(file));
            }
            // PIL agrees on everything up to 8 bits. Excluded: 16-bit (PIL truncates RGB to the high byte and clips gray
            // instead of rounding) and gray tRNS below 8 bits (PIL compares the key with the already-scaled sample, so it
            // misses; the PNG spec compares raw samples, which the spec-derived check above verifies).
            var eight = cases.Where(c => !c.File.Contains("_d16") && !(c.File.Contains("t0_d") && c.File.Contains("_trns") && !c.File.Contains("_d8"))).ToList();
            var reference = PilReference.Decode(eight.Select(c => c.File).ToList(), "RGBA");
            for (int i = 0; i < eight.Count; i++)
            {
                PilReference.AssertPixels(reference[i], ImageDecoder.Decode(eight[i].File).ToRgba(), 0, "PIL vs " + Path.GetFileName(eight[i].File));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Random samples at the given depth and the pixels a correct decoder must produce from them.</summary>
    private static (byte[] Png, Image Expected) MakeCase(Random random, int w, int h, int type, int depth, bool interlace, bool withTrns)
    {
        int channels = type switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int max = (1 << depth) - 1;
        byte[]? plte = null, trns = null;
        int paletteSize = type == 3 ? Math.Min(1 << depth, 1 + random.Next(max + 1)) : 0;
        if (type == 3)
        {
            plte = new byte[paletteSize * 3];
            random.NextBytes(plte);
            if (withTrns)
            {
                trns = new byte[Math.Max(1, paletteSize / 2)];
                random.NextBytes(trns);
            }
        }
        var samples = new int[w * h * channels];
        for (int i = 0; i < samples.Length; i++) samples[i] = type == 3 ? random.Next(paletteSize) : random.Next(max + 1);
        int[] key = [];
        if (withTrns && type is 0 or 2)
        {
            // Use the first pixel's value as the transparent colour so the key definitely occurs.
            key = samples[..channels];
            trns = new byte[channels * 2];
            for (int c = 0; c < channels; c++) { trns[2 * c] = (byte)(key[c] >> 8); trns[2 * c + 1] = (byte)key[c]; }
        }
        var mode = type switch
        {
            0 => withTrns ? ColorMode.GrayAlpha : ColorMode.Gray,
            4 => ColorMode.GrayAlpha,
            6 => ColorMode.Rgba,
            _ => withTrns ? ColorMode.Rgba : ColorMode.Rgb,
        };
        var expected = new Image(w, h, mode);
        int oc = (int)mode;
        byte To8(int v) => depth == 16 ? (byte)Math.Round(v / 257.0, MidpointRounding.AwayFromZero) : (byte)(v * 255 / max);
        for (int p = 0; p < w * h; p++)
        {
            var s = samples.AsSpan(p * channels, channels);
            var o = expected.Pixels.AsSpan(p * oc, oc);
            if (type == 3)
            {
                o[0] = plte![s[0] * 3]; o[1] = plte[s[0] * 3 + 1]; o[2] = plte[s[0] * 3 + 2];
                if (oc == 4) o[3] = s[0] < trns!.Length ? trns[s[0]] : (byte)255;
                continue;
            }
            for (int c = 0; c < channels; c++) o[c] = To8(s[c]);
            if (withTrns) o[oc - 1] = s.SequenceEqual(key) ? (byte)0 : (byte)255;
        }
        return (TestPngWriter.Encode(w, h, type, depth, samples, plte, trns, interlace, idatChunks: 1 + random.Next(4), firstFilter: random.Next(5)), expected);
    }

    [TestMethod]
    public void HandBuiltBmpVariantsDecode()
    {
        // 2×3 image; colours chosen so every channel differs.
        byte[][] rgb = [[10, 20, 30], [40, 50, 60], [70, 80, 90], [100, 110, 120], [130, 140, 150], [160, 170, 180]];
        var expected = new Image(2, 3, ColorMode.Rgb, rgb.SelectMany(p => p).ToArray());
        foreach (bool topDown in new[] { false, true })
        {
            var bmp24 = Bmp(2, 3, 24, topDown, 0, [], (x, y, row) => { var p = rgb[y * 2 + x]; row.Add(p[2]); row.Add(p[1]); row.Add(p[0]); });
            PilReference.AssertPixels(expected, ImageDecoder.Decode(bmp24, $"24-bit topDown={topDown}"), 0, $"24-bit topDown={topDown}");
            var bmp32 = Bmp(2, 3, 32, topDown, 0, [], (x, y, row) => { var p = rgb[y * 2 + x]; row.Add(p[2]); row.Add(p[1]); row.Add(p[0]); row.Add(0); });
            PilReference.AssertPixels(expected, ImageDecoder.Decode(bmp32, "32-bit"), 0, "32-bit BI_RGB");
            // BI_BITFIELDS 32-bit RGBA with masks R=0x0000FF00, G=0x00FF0000, B=0xFF000000, A=0x000000FF (unusual order on purpose).
            var masks = new byte[16];
            BitConverter.GetBytes(0x0000FF00u).CopyTo(masks, 0); BitConverter.GetBytes(0x00FF0000u).CopyTo(masks, 4);
            BitConverter.GetBytes(0xFF000000u).CopyTo(masks, 8); BitConverter.GetBytes(0x000000FFu).CopyTo(masks, 12);
            var bf = Bmp(2, 3, 32, topDown, 6, masks, (x, y, row) => { var p = rgb[y * 2 + x]; row.Add((byte)(200 + y)); row.Add(p[0]); row.Add(p[1]); row.Add(p[2]); });
            var rgba = ImageDecoder.Decode(bf, "bitfields");
            Assert.AreEqual(ColorMode.Rgba, rgba.Mode);
            PilReference.AssertPixels(expected, rgba.ToRgb(), 0, "32-bit BI_ALPHABITFIELDS");
            Assert.AreEqual(202, rgba.Pixels[4 * 4 + 3], "alpha of (0, 2)");
            // 16-bit 5-6-5 bit fields: values chosen as exact multiples so 255/31 and 255/63 scaling is exact.
            var m565 = new byte[12];
            BitConverter.GetBytes(0xF800u).CopyTo(m565, 0); BitConverter.GetBytes(0x07E0u).CopyTo(m565, 4); BitConverter.GetBytes(0x001Fu).CopyTo(m565, 8);
            var b565 = Bmp(2, 3, 16, topDown, 3, m565, (x, y, row) => { ushort v = (ushort)((31 << 11) | ((x + y) << 5) | 0); row.Add((byte)v); row.Add((byte)(v >> 8)); });
            var d565 = ImageDecoder.Decode(b565, "565");
            Assert.AreEqual(255, d565.Pixels[0]);
            Assert.AreEqual(3 * 255 / 63, d565.Pixels[(2 * 2 + 1) * 3 + 1], "G of (1, 2)");
            // 4-bit palette.
            var palette = new List<byte>();
            for (int i = 0; i < 16; i++) { palette.Add((byte)(i * 3)); palette.Add((byte)(i * 2)); palette.Add((byte)i); palette.Add(0); }
            var b4 = Bmp(2, 3, 4, topDown, 0, palette.ToArray(), (x, y, row) => { if (x == 0) row.Add((byte)(((y * 2) << 4) | (y * 2 + 1))); });
            var d4 = ImageDecoder.Decode(b4, "4-bit");
            // Palette entries are stored B, G, R, 0: entry i has R = i, G = 2i, B = 3i.
            CollectionAssert.AreEqual(new byte[] { 3, 6, 9 }, d4.Pixels[((1 * 2 + 1) * 3)..((1 * 2 + 1) * 3 + 3)], "4-bit (1,1) = palette[3]");
            Assert.AreEqual(5, d4.Pixels[(2 * 2 + 1) * 3 + 0], "4-bit (1,2) index 5");
        }
    }

    private static byte[] Bmp(int w, int h, int bpp, bool topDown, int compression, byte[] extra, Action<int, int, List<byte>> pixel)
    {
        var rows = new List<byte[]>();
        for (int y = 0; y < h; y++)
        {
            var row = new List<byte>();
            for (int x = 0; x < w; x++) pixel(x, y, row);
            while (row.Count % 4 != 0) row.Add(0);
            rows.Add(row.ToArray());
        }
        if (!topDown) rows.Reverse();
        var data = rows.SelectMany(r => r).ToArray();
        int offset = 14 + 40 + extra.Length;
        var f = new List<byte>();
        f.AddRange("BM"u8.ToArray());
        f.AddRange(BitConverter.GetBytes(offset + data.Length)); f.AddRange(new byte[4]); f.AddRange(BitConverter.GetBytes(offset));
        f.AddRange(BitConverter.GetBytes(40)); f.AddRange(BitConverter.GetBytes(w)); f.AddRange(BitConverter.GetBytes(topDown ? -h : h));
        f.AddRange(BitConverter.GetBytes((short)1)); f.AddRange(BitConverter.GetBytes((short)bpp)); f.AddRange(BitConverter.GetBytes(compression));
        f.AddRange(BitConverter.GetBytes(data.Length)); f.AddRange(new byte[16]);
        f.AddRange(extra);
        f.AddRange(data);
        return f.ToArray();
    }

    [TestMethod]
    public void AsciiAndSixteenBitPnmDecode()
    {
        var p2 = ImageDecoder.Decode("P2\n# comment\n3 1\n1000\n0 500 1000\n"u8, "p2");
        CollectionAssert.AreEqual(new byte[] { 0, 128, 255 }, p2.Pixels);
        var p3 = ImageDecoder.Decode("P3 1 2 15\n15 0 7\n1 2 3"u8, "p3");
        CollectionAssert.AreEqual(new byte[] { 255, 0, 119, 17, 34, 51 }, p3.Pixels);
        var p5 = ImageDecoder.Decode([.. "P5\n2 1\n65535\n"u8, 0x80, 0x00, 0xFF, 0xFF], "p5");
        CollectionAssert.AreEqual(new byte[] { 128, 255 }, p5.Pixels);
        var p6 = ImageDecoder.Decode([.. "P6 1 1 255 "u8, 1, 2, 3], "p6");
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, p6.Pixels);
    }

    [TestMethod]
    public void BadFilesGiveClearPerFileErrors()
    {
        string dir = TempDir();
        try
        {
            byte[] jpeg = File.ReadAllBytes(Misc("banana.jpg"));
            byte[] png = File.ReadAllBytes(Misc("fillmode_test.png"));
            var cases = new (string Name, byte[] Bytes, string Expect)[]
            {
                ("empty.jpg", [], "empty"),
                ("truncated.jpg", jpeg[..(jpeg.Length / 2)], "truncated"),
                ("headeronly.jpg", jpeg[..200], "JPEG"),
                ("truncated.png", png[..(png.Length - 40)], "truncated"),
                ("garbage.png", "<html>not an image</html>"u8.ToArray(), "not a recognised image format"),
                ("short.bmp", "BM\0\0"u8.ToArray(), "truncated"),
                ("image.webp", [.. "RIFF\0\0\0\0WEBPVP8 "u8], "WebP"),
                ("trunc.pgm", [.. "P5 10 10 255\n"u8, 1, 2, 3], "truncated"),
            };
            foreach (var (name, bytes, expect) in cases)
            {
                string path = Path.Combine(dir, name);
                File.WriteAllBytes(path, bytes);
                var e = Assert.ThrowsException<ImageFormatException>(() => ImageDecoder.Decode(path), name);
                StringAssert.StartsWith(e.Message, path, name);
                StringAssert.Contains(e.Message, expect, name);
                Assert.AreEqual(path, e.Source);
            }
            // TryDecode reports instead of throwing, so a loader can skip and count bad files.
            int skipped = 0;
            foreach (var file in Directory.GetFiles(dir).Append(Path.Combine(dir, "missing.png")))
            {
                if (!ImageDecoder.TryDecode(file, out var decoded, out var error))
                {
                    skipped++;
                    StringAssert.StartsWith(error.Message, file);
                    Assert.IsNull(decoded);
                }
            }
            Assert.AreEqual(cases.Length + 1, skipped, "every bad file and the missing one are reported");
            Assert.IsTrue(ImageDecoder.TryDecode(Misc("tomato.bmp"), out var ok, out var none) && ok!.Width == 800 && none is null);
            // A CRC mismatch is an error by default and ignored on request.
            var corrupt = (byte[])png.Clone();
            corrupt[30] ^= 0x01; // inside the stored CRC of IHDR (bytes 29–32)
            var crc = Assert.ThrowsException<ImageFormatException>(() => ImageDecoder.Decode(corrupt, "crc.png"));
            StringAssert.Contains(crc.Message, "CRC mismatch in PNG chunk 'IHDR'");
            Assert.AreEqual(200, ImageDecoder.Decode(corrupt, "crc.png", new ImageDecoderOptions { CheckCrc = false }).Width);
            // Truncated JPEGs can be accepted explicitly (libjpeg fills the rest).
            var partial = ImageDecoder.Decode(jpeg[..(jpeg.Length / 2)], "partial.jpg", new ImageDecoderOptions { AllowJpegWarnings = true });
            Assert.AreEqual(800, partial.Width);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void TruncatedOrCorruptedFilesNeverEscapeAsOtherExceptions()
    {
        string dir = TempDir();
        try
        {
            PilReference.Run("""
import sys
from PIL import Image
d = sys.argv[1]
src = Image.open(sys.argv[2]).convert("RGB").crop((0, 0, 61, 47))
src.save(d + "/a.png"); src.save(d + "/b.png", optimize=True); src.convert("P").save(d + "/c.png")
src.save(d + "/a.bmp"); src.convert("P").save(d + "/b.bmp"); src.save(d + "/a.gif"); src.save(d + "/a.ppm")
src.save(d + "/a.jpg", quality=80); src.save(d + "/b.jpg", quality=80, progressive=True)
""", dir, Misc("hotdog.jpg"));
            var random = new Random(12);
            foreach (var file in Directory.GetFiles(dir).OrderBy(f => f))
            {
                byte[] bytes = File.ReadAllBytes(file);
                Assert.IsNotNull(ImageDecoder.Decode(bytes, file), "intact file decodes");
                for (int trial = 0; trial < 40; trial++)
                {
                    byte[] damaged;
                    if (trial % 2 == 0)
                    {
                        damaged = bytes[..random.Next(1, bytes.Length)];
                    }
                    else
                    {
                        damaged = (byte[])bytes.Clone();
                        for (int k = 0; k < 1 + random.Next(8); k++) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                    }
                    try
                    {
                        ImageDecoder.Decode(damaged, file);
                    }
                    catch (ImageFormatException e)
                    {
                        StringAssert.StartsWith(e.Message, file);
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
    public void FormatIsDetectedFromContentNotExtension()
    {
        string dir = TempDir();
        try
        {
            string path = Path.Combine(dir, "actually_a_png.jpg");
            File.Copy(Misc("fillmode_test.png"), path);
            var image = ImageDecoder.Decode(path);
            Assert.AreEqual(200, image.Width);
            Assert.AreEqual(100, image.Height);
            Assert.AreEqual(ImageFormat.Png, ImageDecoder.DetectFormat(File.ReadAllBytes(path)));
            using var stream = File.OpenRead(Misc("tomato.bmp"));
            Assert.AreEqual(534, ImageDecoder.Decode(stream, "tomato.bmp").Height);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
