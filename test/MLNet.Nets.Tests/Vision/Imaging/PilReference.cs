using System.Diagnostics;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Tests.Vision.Imaging;

/// <summary>Runs /usr/bin/python3 with PIL to produce reference pixels for the imaging tests.</summary>
internal static class PilReference
{
    /// <summary>Runs a Python script (written to a temp file) with arguments; returns stdout or fails the test with stderr.</summary>
    public static string Run(string script, params string[] args)
    {
        string file = Path.Combine(Path.GetTempPath(), $"mlnet-pil-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(file);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) Assert.Fail($"python3 failed ({p.ExitCode}): {stderr.Result}");
            return stdout;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string DecodeScript = """
import sys, os
from PIL import Image, ImageOps
out = sys.argv[1]; mode = sys.argv[2]
for i, path in enumerate(sys.argv[3:]):
    im = Image.open(path)
    im = ImageOps.exif_transpose(im)
    im = im.convert(mode)
    with open(os.path.join(out, f"{i}.raw"), "wb") as f:
        f.write(im.tobytes())
    print(i, im.size[0], im.size[1])
""";

    /// <summary>PIL's decode of each file (EXIF-transposed, converted to <paramref name="mode"/>, e.g. "RGB", "RGBA", "L").</summary>
    public static List<Image> Decode(IReadOnlyList<string> paths, string mode)
    {
        string dir = Directory.CreateTempSubdirectory("mlnet-pil-").FullName;
        try
        {
            var lines = Run(DecodeScript, [dir, mode, .. paths]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(paths.Count, lines.Length, "PIL decoded count");
            var colorMode = mode switch { "L" => ColorMode.Gray, "LA" => ColorMode.GrayAlpha, "RGBA" => ColorMode.Rgba, _ => ColorMode.Rgb };
            var result = new List<Image>();
            foreach (var line in lines)
            {
                var f = line.Split(' ');
                result.Add(new Image(int.Parse(f[1]), int.Parse(f[2]), colorMode, File.ReadAllBytes(Path.Combine(dir, f[0] + ".raw"))));
            }
            return result;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Asserts equal size/mode and every byte within <paramref name="tolerance"/>; names the first differing pixel.</summary>
    public static void AssertPixels(Image expected, Image actual, int tolerance, string what)
    {
        Assert.AreEqual(expected.Width, actual.Width, $"{what}: width");
        Assert.AreEqual(expected.Height, actual.Height, $"{what}: height");
        Assert.AreEqual(expected.Mode, actual.Mode, $"{what}: mode");
        var e = expected.Pixels; var a = actual.Pixels;
        int worst = 0, worstAt = -1;
        for (int i = 0; i < e.Length; i++)
        {
            int d = Math.Abs(e[i] - a[i]);
            if (d > worst) { worst = d; worstAt = i; }
        }
        if (worst > tolerance)
        {
            int c = expected.Channels, px = worstAt / c;
            Assert.Fail($"{what}: byte {worstAt} (x={px % expected.Width}, y={px / expected.Width}, channel {worstAt % c}) expected {e[worstAt]} got {a[worstAt]}; max difference {worst} > {tolerance}.");
        }
    }
}
