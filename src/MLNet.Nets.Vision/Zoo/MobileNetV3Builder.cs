using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>torchvision's <c>mobilenet_v3_small</c> and <c>mobilenet_v3_large</c>: batch norm with ε 0.001 and
/// momentum 0.01, squeeze-excitation gates (1×1 convolutions fc1/fc2, ReLU, hard sigmoid), classifier = Linear,
/// Hardswish, Dropout(0.2), Linear.</summary>
internal static class MobileNetV3Builder
{
    private const float Eps = 1e-3f;
    private const float Momentum = 0.01f;

    // (input channels, kernel, expanded channels, output channels, squeeze-excite, hard-swish, stride)
    private static readonly (int In, int K, int Exp, int Out, bool Se, bool Hs, int S)[] Large =
    [
        (16, 3, 16, 16, false, false, 1), (16, 3, 64, 24, false, false, 2), (24, 3, 72, 24, false, false, 1),
        (24, 5, 72, 40, true, false, 2), (40, 5, 120, 40, true, false, 1), (40, 5, 120, 40, true, false, 1),
        (40, 3, 240, 80, false, true, 2), (80, 3, 200, 80, false, true, 1), (80, 3, 184, 80, false, true, 1),
        (80, 3, 184, 80, false, true, 1), (80, 3, 480, 112, true, true, 1), (112, 3, 672, 112, true, true, 1),
        (112, 5, 672, 160, true, true, 2), (160, 5, 960, 160, true, true, 1), (160, 5, 960, 160, true, true, 1),
    ];

    private static readonly (int In, int K, int Exp, int Out, bool Se, bool Hs, int S)[] Small =
    [
        (16, 3, 16, 16, true, false, 2), (16, 3, 72, 24, false, false, 2), (24, 3, 88, 24, false, false, 1),
        (24, 5, 96, 40, true, true, 2), (40, 5, 240, 40, true, true, 1), (40, 5, 240, 40, true, true, 1),
        (40, 5, 120, 48, true, true, 1), (48, 5, 144, 48, true, true, 1), (48, 5, 288, 96, true, true, 2),
        (96, 5, 576, 96, true, true, 1), (96, 5, 576, 96, true, true, 1),
    ];

    public static Model Build(bool large, int numClasses, ZooOptions o, int channels, int size)
    {
        double alpha = o.WidthMultiplier;
        int Adjust(int c) => NetBuilder.MakeDivisible(c * alpha);
        var settings = large ? Large : Small;
        var input = Input.Create([channels, size, size], o.Seed, "input");
        var x = NetBuilder.ConvBnAct(input, "features.0", Adjust(settings[0].In), 3, 2, Activation.HardSwish, Eps, Momentum);
        int index = 1;
        foreach (var s in settings)
        {
            x = InvertedResidual(x, $"features.{index++}", Adjust(s.In), s.K, Adjust(s.Exp), Adjust(s.Out), s.Se, s.Hs ? Activation.HardSwish : Activation.ReLU, s.S);
        }
        int lastIn = Adjust(settings[^1].Out);
        x = NetBuilder.ConvBnAct(x, $"features.{index}", 6 * lastIn, 1, 1, Activation.HardSwish, Eps, Momentum);
        x = NetBuilder.Pool(x);
        if (o.IncludeTop)
        {
            int lastChannel = Adjust(large ? 1280 : 1024);
            x = new Dense(lastChannel, Activation.HardSwish, name: "classifier.0").Call(x);
            x = new Dropout(o.DropoutRate ?? 0.2f, o.Seed, "classifier.2").Call(x);
            x = new Dense(numClasses, name: "classifier.3").Call(x);
        }
        return new Model(input, x);
    }

    private static Node InvertedResidual(Node x, string prefix, int inC, int kernel, int expC, int outC, bool se, Activation act, int stride)
    {
        var y = x;
        int k = 0;
        if (expC != inC) y = NetBuilder.ConvBnAct(y, $"{prefix}.block.{k++}", expC, 1, 1, act, Eps, Momentum);
        y = NetBuilder.ConvBnAct(y, $"{prefix}.block.{k++}", expC, kernel, stride, act, Eps, Momentum, groups: expC);
        if (se)
        {
            string p = $"{prefix}.block.{k++}";
            int squeeze = NetBuilder.MakeDivisible(expC / 4);
            var g = new GlobalAvgPool2D(keepDims: true).Call(y);
            g = new Conv2D(squeeze, 1, useBias: true, activation: Activation.ReLU, name: p + ".fc1").Call(g);
            g = new Conv2D(expC, 1, useBias: true, activation: Activation.HardSigmoid, name: p + ".fc2").Call(g);
            y = new Multiply().Call(y, g);
        }
        y = NetBuilder.ConvBnAct(y, $"{prefix}.block.{k}", outC, 1, 1, null, Eps, Momentum);
        return stride == 1 && inC == outC ? new Add().Call(x, y) : y;
    }
}
