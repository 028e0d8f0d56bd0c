namespace MLNet.Nets.Vision.Zoo;

/// <summary>The network architectures of the model zoo (see <see cref="ModelZoo"/>); names in parentheses are the
/// command-line and registry names returned by <see cref="ModelZoo.NameOf"/>.</summary>
public enum Architecture
{
    /// <summary>LeNet-5 (<c>lenet5</c>) for 1×28×28 digits: two 5×5 convolutions with max pooling and three dense layers
    /// (61,706 parameters for 10 classes).</summary>
    LeNet5,
    /// <summary>MobileNet V1 (<c>mobilenet_v1</c>), Keras/paper layout with width multiplier α and resolution multiplier.</summary>
    MobileNetV1,
    /// <summary>MobileNet V2 (<c>mobilenet_v2</c>), torchvision layout, with width multiplier.</summary>
    MobileNetV2,
    /// <summary>MobileNet V3 Small (<c>mobilenet_v3_small</c>), torchvision layout.</summary>
    MobileNetV3Small,
    /// <summary>MobileNet V3 Large (<c>mobilenet_v3_large</c>), torchvision layout.</summary>
    MobileNetV3Large,
    /// <summary>Inception V3 (<c>inception_v3</c>), torchvision layout, 299×299 input, optional auxiliary head.</summary>
    InceptionV3,
    /// <summary>ResNet-18 (<c>resnet18</c>), torchvision layout.</summary>
    ResNet18,
    /// <summary>ResNet-50 (<c>resnet50</c>), torchvision layout (stride on the 3×3 convolution, "v1.5").</summary>
    ResNet50,
    /// <summary>A small VGG-style network (<c>small_vgg</c>) for training from scratch on small images (default 3×32×32).</summary>
    SmallVgg,
}
