using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>torchvision's <c>resnet18</c> (basic blocks [2, 2, 2, 2]) and <c>resnet50</c> (bottlenecks [3, 4, 6, 3],
/// stride on the 3×3 convolution): conv1/bn1/maxpool stem, layer1–4, global average pool, fc.</summary>
internal static class ResNetBuilder
{
    public static Model Build(bool bottleneck, int numClasses, ZooOptions o, int channels, int size)
    {
        int[] blocks = bottleneck ? [3, 4, 6, 3] : [2, 2, 2, 2];
        int expansion = bottleneck ? 4 : 1;
        var input = Input.Create([channels, size, size], o.Seed, "input");
        var x = NetBuilder.ConvBnAct(input, "conv1", "bn1", 64, (7, 7), (2, 2), (3, 3), Activation.ReLU);
        x = new MaxPool2D((3, 3), (2, 2), (1, 1, 1, 1)).Call(x);
        int inC = 64;
        for (int stage = 0; stage < 4; stage++)
        {
            int planes = 64 << stage;
            for (int b = 0; b < blocks[stage]; b++)
            {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                string p = $"layer{stage + 1}.{b}";
                var identity = x;
                if (stride != 1 || inC != planes * expansion)
                {
                    identity = NetBuilder.ConvBnAct(x, p + ".downsample.0", p + ".downsample.1", planes * expansion, (1, 1), (stride, stride), (0, 0), null);
                }
                Node y;
                if (bottleneck)
                {
                    y = NetBuilder.ConvBnAct(x, p + ".conv1", p + ".bn1", planes, (1, 1), (1, 1), (0, 0), Activation.ReLU);
                    y = NetBuilder.ConvBnAct(y, p + ".conv2", p + ".bn2", planes, (3, 3), (stride, stride), (1, 1), Activation.ReLU);
                    y = NetBuilder.ConvBnAct(y, p + ".conv3", p + ".bn3", planes * 4, (1, 1), (1, 1), (0, 0), null);
                }
                else
                {
                    y = NetBuilder.ConvBnAct(x, p + ".conv1", p + ".bn1", planes, (3, 3), (stride, stride), (1, 1), Activation.ReLU);
                    y = NetBuilder.ConvBnAct(y, p + ".conv2", p + ".bn2", planes, (3, 3), (1, 1), (1, 1), null);
                }
                x = NetBuilder.Act(new Add().Call(y, identity), Activation.ReLU);
                inC = planes * expansion;
            }
        }
        x = NetBuilder.Pool(x);
        if (o.IncludeTop)
        {
            if (o.DropoutRate is > 0f) x = new Dropout(o.DropoutRate.Value, o.Seed, "dropout").Call(x);
            x = new Dense(numClasses, name: "fc").Call(x);
        }
        return new Model(input, x);
    }
}
