// Images decoded and resized to 224×224 per second: ImageDecoder.Decode(path) → ToRgb() → Resize(224, 224, Bilinear),
// the same work as PIL's Image.open(p).convert("RGB").resize((224, 224), Image.BILINEAR).
// Usage: ImagesBench <folder> <threads> <passes> [full|decode]. Prints one line: "ours threads=T images=N seconds=S rate=R".
// "decode" skips the resize and "resize" times only the resize of pre-decoded images (to see how the time splits).
using System.Diagnostics;
using MLNet.Nets.Vision.Imaging;

string folder = args.Length > 0 ? args[0] : throw new ArgumentException("usage: ImagesBench <folder> <threads> <passes>");
int threads = args.Length > 1 ? int.Parse(args[1]) : 1;
int passes = args.Length > 2 ? int.Parse(args[2]) : 3;
string stage = args.Length > 3 ? args[3] : "full";
bool resize = stage != "decode";
var files = Directory.GetFiles(folder, "*.*", SearchOption.AllDirectories)
    .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
    .OrderBy(f => f, StringComparer.Ordinal).ToArray();
if (files.Length == 0) throw new InvalidOperationException($"No images under {folder}.");
Image[]? decoded = stage == "resize" ? files.Select(f => ImageDecoder.Decode(f).ToRgb()).ToArray() : null;


long checksum = 0;
void Run()
{
    var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
    Parallel.For(0, files.Length, options, () => 0L, (i, _, local) =>
    {
        var image = decoded is not null ? decoded[i] : ImageDecoder.Decode(files[i]).ToRgb();
        if (resize) image = ImageResizer.Resize(image, 224, 224);
        return local + image.Pixels[image.Pixels.Length / 2];
    }, local => Interlocked.Add(ref checksum, local));
}

Run(); // warm-up: JIT, file cache, TurboJPEG handles
double best = double.MaxValue;
for (int p = 0; p < passes; p++)
{
    var sw = Stopwatch.StartNew();
    Run();
    best = Math.Min(best, sw.Elapsed.TotalSeconds);
}
Console.WriteLine($"ours{(stage == "full" ? "" : "-" + stage + "-only")} threads={threads} images={files.Length} seconds={best:F4} rate={files.Length / best:F1} checksum={checksum % 1000}");
