using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>The building blocks shared by the zoo's architectures, named the way torchvision names its modules so that
/// a layer called <c>features.0.0</c> owns the state-dict entries <c>features.0.0.weight</c>, ….</summary>
internal static class NetBuilder
{
    /// <summary>A bias-free k×k convolution with PyTorch-style symmetric padding; depthwise when groups equals both
    /// channel counts.</summary>
    public static Node Conv(Node x, string name, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding,
        int groups = 1, bool useBias = false)
    {
        int inChannels = x.Shape[0];
        var pad = (padding.H, padding.W, padding.H, padding.W);
        if (groups > 1 && groups == inChannels && groups == outChannels)
        {
            return new DepthwiseConv2D(kernel, stride, pad, useBias: useBias, name: name).Call(x);
        }
        return new Conv2D(outChannels, kernel, stride, pad, groups: groups, useBias: useBias, name: name).Call(x);
    }

    /// <summary>Convolution, batch norm and activation (torchvision's <c>Conv2dNormActivation</c> and Inception's
    /// <c>BasicConv2d</c>); <paramref name="activation"/> null means none.</summary>
    public static Node ConvBnAct(Node x, string convName, string bnName, int outChannels, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, Activation? activation, float eps = 1e-5f, float momentum = 0.1f, int groups = 1)
    {
        var y = Conv(x, convName, outChannels, kernel, stride, padding, groups);
        y = new BatchNormalization(eps, momentum, bnName).Call(y);
        return activation is { } a ? new ActivationLayer(a).Call(y) : y;
    }

    /// <summary>The same with a square kernel and stride and padding (k − 1)/2 (torchvision's default).</summary>
    public static Node ConvBnAct(Node x, string prefix, int outChannels, int kernel, int stride, Activation? activation,
        float eps = 1e-5f, float momentum = 0.1f, int groups = 1)
    {
        int p = (kernel - 1) / 2;
        return ConvBnAct(x, prefix + ".0", prefix + ".1", outChannels, (kernel, kernel), (stride, stride), (p, p), activation, eps, momentum, groups);
    }

    /// <summary>An element-wise activation layer.</summary>
    public static Node Act(Node x, Activation activation) => new ActivationLayer(activation).Call(x);

    /// <summary>Global average pooling to [N, C].</summary>
    public static Node Pool(Node x) => new GlobalAvgPool2D().Call(x);

    /// <summary>torchvision's <c>_make_divisible</c>: the multiple of <paramref name="divisor"/> nearest to
    /// <paramref name="value"/>, at least the divisor and not below 90% of the value.</summary>
    public static int MakeDivisible(double value, int divisor = 8)
    {
        int v = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        if (v < 0.9 * value) v += divisor;
        return v;
    }
}
