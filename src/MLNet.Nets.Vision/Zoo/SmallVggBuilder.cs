using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>A small VGG-style network in torchvision's <c>vgg*_bn</c> naming: three stages of two 3×3 convolutions
/// (32, 64, 128 filters, each with batch norm and ReLU) and a 2×2 max pool (features.0–20), global average pooling,
/// classifier = Linear(128, 256), ReLU, Dropout(0.5), Linear(256, classes).</summary>
internal static class SmallVggBuilder
{
    public static Model Build(int numClasses, ZooOptions o, int channels, int size)
    {
        if (size < 8) throw new ArgumentException($"The small VGG net needs at least 8×8 pixels but was asked for {size}×{size}.", nameof(o));
        var input = Input.Create([channels, size, size], o.Seed, "input");
        var x = input;
        int index = 0;
        foreach (int filters in new[] { 32, 64, 128 })
        {
            for (int i = 0; i < 2; i++)
            {
                x = NetBuilder.ConvBnAct(x, $"features.{index}", $"features.{index + 1}", filters, (3, 3), (1, 1), (1, 1), Activation.ReLU);
                index += 3;
            }
            x = new MaxPool2D(2).Call(x);
            index++;
        }
        x = NetBuilder.Pool(x);
        if (o.IncludeTop)
        {
            x = new Dense(256, Activation.ReLU, name: "classifier.0").Call(x);
            x = new Dropout(o.DropoutRate ?? 0.5f, o.Seed, "classifier.2").Call(x);
            x = new Dense(numClasses, name: "classifier.3").Call(x);
        }
        return new Model(input, x);
    }
}
