using System.Diagnostics;
using MLNet.Nets.Kernels;

// Prints "case seconds flops" for one forward + backward (data, weight and bias gradients) of each convolution case,
// the median of several timed repetitions after warm-up. The cases and their order match build/bench/peer/conv.py.
var cases = new (string Name, int[] P)[]
{
    // batch, C, H, W, K, kernel, stride, pad, groups
    ("lenet_conv1_1x6_5x5_p2_28", [32, 1, 28, 28, 6, 5, 1, 2, 1]),
    ("lenet_conv2_6x16_5x5_14", [32, 6, 14, 14, 16, 5, 1, 0, 1]),
    ("mbv2_dw3x3_144_56_s1", [32, 144, 56, 56, 144, 3, 1, 1, 144]),
    ("mbv2_dw3x3_96_112_s2", [32, 96, 112, 112, 96, 3, 2, 1, 96]),
    ("mbv2_pw_24x144_56", [32, 24, 56, 56, 144, 1, 1, 0, 1]),
    ("mbv2_pw_144x24_56", [32, 144, 56, 56, 24, 1, 1, 0, 1]),
    ("incv3_3x3_64x96_35", [32, 64, 35, 35, 96, 3, 1, 1, 1]),
};
int repeats = args.Length > 0 ? int.Parse(args[0]) : 5;
var only = args.Skip(1).ToHashSet();
var random = new Random(1);
float[] Random(int n)
{
    var a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float)random.NextDouble() - 0.5f;
    return a;
}
foreach (var (name, p) in cases)
{
    if (only.Count > 0 && !only.Contains(name)) continue;
    var g = new ConvGeometry(p[0], p[1], p[2], p[3], p[4], p[5], p[5], p[6], p[6], p[7], p[7], p[7], p[7], 1, 1, p[8]);
    float[] x = Random(g.InputLength), w = Random(g.WeightLength), b = Random(g.OutChannels), dy = Random(g.OutputLength);
    var y = new float[g.OutputLength];
    var dx = new float[g.InputLength];
    var dw = new float[g.WeightLength];
    var db = new float[g.OutChannels];
    void Step()
    {
        Convolution.Forward(g, x, w, b, y);
        Convolution.BackwardData(g, dy, w, dx);
        Convolution.BackwardWeight(g, x, dy, dw);
        Convolution.BackwardBias(g, dy, db);
    }
    for (int i = 0; i < 3; i++) Step();
    var times = new List<double>();
    for (int i = 0; i < repeats; i++)
    {
        var sw = Stopwatch.StartNew();
        Step();
        times.Add(sw.Elapsed.TotalSeconds);
    }
    times.Sort();
    Console.WriteLine($"{name} {times[times.Count / 2]:G6} {3 * g.ForwardFlops:G6}");
}
