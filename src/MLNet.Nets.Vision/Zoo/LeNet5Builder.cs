using MLNet.Nets.Layers;
using MLNet.Nets.Models;

namespace MLNet.Nets.Vision.Zoo;

/// <summary>LeNet-5 for 28×28 digits with the modern choices (ReLU, max pooling): conv1 (6 filters 5×5, padding 2),
/// pool, conv2 (16 filters 5×5), pool, fc1 120, fc2 84, fc3 classes — 61,706 parameters for 10 classes.</summary>
internal static class LeNet5Builder
{
    public static Model Build(int numClasses, ZooOptions o, int channels, int size)
    {
        if (size < 12) throw new ArgumentException($"LeNet-5 needs at least 12×12 pixels but was asked for {size}×{size}.", nameof(o));
        var input = Input.Create([channels, size, size], o.Seed, "input");
        var x = new Conv2D(6, (5, 5), (1, 1), (2, 2, 2, 2), activation: Activation.ReLU, name: "conv1").Call(input);
        x = new MaxPool2D(2).Call(x);
        x = new Conv2D(16, (5, 5), (1, 1), (0, 0, 0, 0), activation: Activation.ReLU, name: "conv2").Call(x);
        x = new MaxPool2D(2).Call(x);
        x = new Flatten().Call(x);
        x = new Dense(120, Activation.ReLU, name: "fc1").Call(x);
        x = new Dense(84, Activation.ReLU, name: "fc2").Call(x);
        if (o.IncludeTop)
        {
            if (o.DropoutRate is > 0f) x = new Dropout(o.DropoutRate.Value, o.Seed, "dropout").Call(x);
            x = new Dense(numClasses, name: "fc3").Call(x);
        }
        return new Model(input, x);
    }
}
