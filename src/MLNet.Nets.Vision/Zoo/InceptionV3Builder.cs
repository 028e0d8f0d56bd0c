using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>torchvision's <c>inception_v3</c> (without <c>transform_input</c>): BasicConv2d = bias-free convolution,
/// batch norm ε 0.001, ReLU; Mixed_5b–7c blocks; optional AuxLogits head on Mixed_6e; global pool, Dropout(0.5), fc.</summary>
internal static class InceptionV3Builder
{
    private const float Eps = 1e-3f;

    public static Model Build(int numClasses, ZooOptions o, int channels, int size)
    {
        if (size < 75) throw new ArgumentException($"Inception V3 needs an input of at least 75×75 pixels but was asked for {size}×{size}.", nameof(o));
        var input = Input.Create([channels, size, size], o.Seed, "input");
        var x = Basic(input, "Conv2d_1a_3x3", 32, 3, 2, 0);
        x = Basic(x, "Conv2d_2a_3x3", 32, 3, 1, 0);
        x = Basic(x, "Conv2d_2b_3x3", 64, 3, 1, 1);
        x = new MaxPool2D(3, 2).Call(x);
        x = Basic(x, "Conv2d_3b_1x1", 80, 1, 1, 0);
        x = Basic(x, "Conv2d_4a_3x3", 192, 3, 1, 0);
        x = new MaxPool2D(3, 2).Call(x);
        x = BlockA(x, "Mixed_5b", 32);
        x = BlockA(x, "Mixed_5c", 64);
        x = BlockA(x, "Mixed_5d", 64);
        x = BlockB(x, "Mixed_6a");
        x = BlockC(x, "Mixed_6b", 128);
        x = BlockC(x, "Mixed_6c", 160);
        x = BlockC(x, "Mixed_6d", 160);
        x = BlockC(x, "Mixed_6e", 192);
        Node? aux = null;
        if (o.AuxLogits && o.IncludeTop)
        {
            var a = new AvgPool2D(5, 3).Call(x);
            a = Basic(a, "AuxLogits.conv0", 128, 1, 1, 0);
            a = Basic(a, "AuxLogits.conv1", 768, 5, 1, 0);
            a = NetBuilder.Pool(a);
            aux = new Dense(numClasses, name: "AuxLogits.fc").Call(a);
        }
        x = BlockD(x, "Mixed_7a");
        x = BlockE(x, "Mixed_7b");
        x = BlockE(x, "Mixed_7c");
        x = NetBuilder.Pool(x);
        if (o.IncludeTop)
        {
            x = new Dropout(o.DropoutRate ?? 0.5f, o.Seed, "dropout").Call(x);
            x = new Dense(numClasses, name: "fc").Call(x);
        }
        return aux is null ? new Model(input, x) : new Model([input], [x, aux]);
    }

    private static Node Basic(Node x, string name, int outC, (int H, int W) k, (int H, int W) s, (int H, int W) p) =>
        NetBuilder.ConvBnAct(x, name + ".conv", name + ".bn", outC, k, s, p, Activation.ReLU, Eps);

    private static Node Basic(Node x, string name, int outC, int k, int s, int p) => Basic(x, name, outC, (k, k), (s, s), (p, p));

    private static Node AvgPool3(Node x) => new AvgPool2D((3, 3), (1, 1), (1, 1, 1, 1), countIncludePad: true).Call(x);

    private static Node Cat(params Node[] parts) => new Concatenate(1).Call(parts);

    private static Node BlockA(Node x, string n, int poolFeatures)
    {
        var b1 = Basic(x, n + ".branch1x1", 64, 1, 1, 0);
        var b5 = Basic(Basic(x, n + ".branch5x5_1", 48, 1, 1, 0), n + ".branch5x5_2", 64, 5, 1, 2);
        var b3 = Basic(x, n + ".branch3x3dbl_1", 64, 1, 1, 0);
        b3 = Basic(b3, n + ".branch3x3dbl_2", 96, 3, 1, 1);
        b3 = Basic(b3, n + ".branch3x3dbl_3", 96, 3, 1, 1);
        var bp = Basic(AvgPool3(x), n + ".branch_pool", poolFeatures, 1, 1, 0);
        return Cat(b1, b5, b3, bp);
    }

    private static Node BlockB(Node x, string n)
    {
        var b3 = Basic(x, n + ".branch3x3", 384, 3, 2, 0);
        var bd = Basic(x, n + ".branch3x3dbl_1", 64, 1, 1, 0);
        bd = Basic(bd, n + ".branch3x3dbl_2", 96, 3, 1, 1);
        bd = Basic(bd, n + ".branch3x3dbl_3", 96, 3, 2, 0);
        var bp = new MaxPool2D(3, 2).Call(x);
        return Cat(b3, bd, bp);
    }

    private static Node BlockC(Node x, string n, int c7)
    {
        var b1 = Basic(x, n + ".branch1x1", 192, 1, 1, 0);
        var b7 = Basic(x, n + ".branch7x7_1", c7, 1, 1, 0);
        b7 = Basic(b7, n + ".branch7x7_2", c7, (1, 7), (1, 1), (0, 3));
        b7 = Basic(b7, n + ".branch7x7_3", 192, (7, 1), (1, 1), (3, 0));
        var bd = Basic(x, n + ".branch7x7dbl_1", c7, 1, 1, 0);
        bd = Basic(bd, n + ".branch7x7dbl_2", c7, (7, 1), (1, 1), (3, 0));
        bd = Basic(bd, n + ".branch7x7dbl_3", c7, (1, 7), (1, 1), (0, 3));
        bd = Basic(bd, n + ".branch7x7dbl_4", c7, (7, 1), (1, 1), (3, 0));
        bd = Basic(bd, n + ".branch7x7dbl_5", 192, (1, 7), (1, 1), (0, 3));
        var bp = Basic(AvgPool3(x), n + ".branch_pool", 192, 1, 1, 0);
        return Cat(b1, b7, bd, bp);
    }

    private static Node BlockD(Node x, string n)
    {
        var b3 = Basic(Basic(x, n + ".branch3x3_1", 192, 1, 1, 0), n + ".branch3x3_2", 320, 3, 2, 0);
        var b7 = Basic(x, n + ".branch7x7x3_1", 192, 1, 1, 0);
        b7 = Basic(b7, n + ".branch7x7x3_2", 192, (1, 7), (1, 1), (0, 3));
        b7 = Basic(b7, n + ".branch7x7x3_3", 192, (7, 1), (1, 1), (3, 0));
        b7 = Basic(b7, n + ".branch7x7x3_4", 192, 3, 2, 0);
        var bp = new MaxPool2D(3, 2).Call(x);
        return Cat(b3, b7, bp);
    }

    private static Node BlockE(Node x, string n)
    {
        var b1 = Basic(x, n + ".branch1x1", 320, 1, 1, 0);
        var b3 = Basic(x, n + ".branch3x3_1", 384, 1, 1, 0);
        b3 = Cat(Basic(b3, n + ".branch3x3_2a", 384, (1, 3), (1, 1), (0, 1)), Basic(b3, n + ".branch3x3_2b", 384, (3, 1), (1, 1), (1, 0)));
        var bd = Basic(x, n + ".branch3x3dbl_1", 448, 1, 1, 0);
        bd = Basic(bd, n + ".branch3x3dbl_2", 384, 3, 1, 1);
        bd = Cat(Basic(bd, n + ".branch3x3dbl_3a", 384, (1, 3), (1, 1), (0, 1)), Basic(bd, n + ".branch3x3dbl_3b", 384, (3, 1), (1, 1), (1, 0)));
        var bp = Basic(AvgPool3(x), n + ".branch_pool", 192, 1, 1, 0);
        return Cat(b1, b3, bd, bp);
    }
}
