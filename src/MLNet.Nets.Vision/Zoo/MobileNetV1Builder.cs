using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>MobileNet V1 in the Keras application's layout and names (conv1, conv1_bn, conv_dw_i, conv_dw_i_bn,
/// conv_pw_i, conv_pw_i_bn for i = 1…13, conv_preds): filters int(c·α), ReLU6, batch norm ε 0.001 and Keras momentum
/// 0.99 (0.01 in PyTorch's convention), stride-2 convolutions padded by one pixel at the bottom and right as
/// TensorFlow's "same" does for even sizes; head = global pool, Dropout(0.001), 1×1 classifier as a dense layer.</summary>
internal static class MobileNetV1Builder
{
    private const float Eps = 1e-3f;
    private const float Momentum = 0.01f;

    private static readonly (int Filters, int Stride)[] Blocks =
        [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)];

    public static Model Build(int numClasses, ZooOptions o, int channels, int size)
    {
        double alpha = o.WidthMultiplier;
        if (alpha <= 0 || alpha > 1.0 + 1e-9)
        {
            throw new ArgumentOutOfRangeException(nameof(o), $"MobileNet V1's width multiplier must be in (0, 1] (published: 0.25, 0.5, 0.75, 1.0) but is {alpha}.");
        }
        var input = Input.Create([channels, size, size], o.Seed, "input");
        var x = Conv(input, "conv1", (int)(32 * alpha), 2);
        for (int i = 0; i < Blocks.Length; i++)
        {
            var (filters, stride) = Blocks[i];
            string id = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var pad = stride == 1 ? (1, 1, 1, 1) : (0, 0, 1, 1);
            x = new DepthwiseConv2D((3, 3), (stride, stride), pad, useBias: false, name: $"conv_dw_{id}").Call(x);
            x = new BatchNormalization(Eps, Momentum, $"conv_dw_{id}_bn").Call(x);
            x = NetBuilder.Act(x, Activation.ReLU6);
            x = new Conv2D((int)(filters * alpha), (1, 1), (1, 1), (0, 0, 0, 0), useBias: false, name: $"conv_pw_{id}").Call(x);
            x = new BatchNormalization(Eps, Momentum, $"conv_pw_{id}_bn").Call(x);
            x = NetBuilder.Act(x, Activation.ReLU6);
        }
        x = NetBuilder.Pool(x);
        if (o.IncludeTop)
        {
            x = new Dropout(o.DropoutRate ?? 1e-3f, o.Seed, "dropout").Call(x);
            x = new Dense(numClasses, name: "conv_preds").Call(x);
        }
        return new Model(input, x);
    }

    private static Node Conv(Node x, string name, int filters, int stride)
    {
        var pad = stride == 1 ? (1, 1, 1, 1) : (0, 0, 1, 1);
        x = new Conv2D(filters, (3, 3), (stride, stride), pad, useBias: false, name: name).Call(x);
        x = new BatchNormalization(Eps, Momentum, name + "_bn").Call(x);
        return NetBuilder.Act(x, Activation.ReLU6);
    }
}
