using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>torchvision's <c>mobilenet_v2</c>: features.0 stem, features.1–17 inverted residuals, features.18 1×1
/// convolution to 1280 channels, classifier = Dropout(0.2), Linear.</summary>
internal static class MobileNetV2Builder
{
    private static readonly (int T, int C, int N, int S)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static Model Build(int numClasses, ZooOptions o, int channels, int size)
    {
        double alpha = o.WidthMultiplier;
        var input = Input.Create([channels, size, size], o.Seed, "input");
        int inC = NetBuilder.MakeDivisible(32 * alpha);
        int lastC = NetBuilder.MakeDivisible(1280 * Math.Max(1.0, alpha));
        var x = NetBuilder.ConvBnAct(input, "features.0", inC, 3, 2, Activation.ReLU6);
        int index = 1;
        foreach (var (t, c, n, s) in Settings)
        {
            int outC = NetBuilder.MakeDivisible(c * alpha);
            for (int i = 0; i < n; i++)
            {
                x = InvertedResidual(x, $"features.{index++}", inC, outC, i == 0 ? s : 1, t);
                inC = outC;
            }
        }
        x = NetBuilder.ConvBnAct(x, $"features.{index}", lastC, 1, 1, Activation.ReLU6);
        x = NetBuilder.Pool(x);
        if (o.IncludeTop)
        {
            x = new Dropout(o.DropoutRate ?? 0.2f, o.Seed, "classifier.0").Call(x);
            x = new Dense(numClasses, name: "classifier.1").Call(x);
        }
        return new Model(input, x);
    }

    private static Node InvertedResidual(Node x, string prefix, int inC, int outC, int stride, int expand)
    {
        int hidden = (int)Math.Round((double)inC * expand, MidpointRounding.ToEven);
        var y = x;
        int k = 0;
        if (expand != 1) y = NetBuilder.ConvBnAct(y, $"{prefix}.conv.{k++}", hidden, 1, 1, Activation.ReLU6);
        y = NetBuilder.ConvBnAct(y, $"{prefix}.conv.{k++}", hidden, 3, stride, Activation.ReLU6, groups: hidden);
        y = NetBuilder.Conv(y, $"{prefix}.conv.{k++}", outC, (1, 1), (1, 1), (0, 0));
        y = new BatchNormalization(name: $"{prefix}.conv.{k}").Call(y);
        return stride == 1 && inC == outC ? new Add().Call(x, y) : y;
    }
}
