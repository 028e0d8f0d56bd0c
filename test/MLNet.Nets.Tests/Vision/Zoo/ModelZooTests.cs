using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Tests.Vision.Zoo;

[TestClass]
public sealed class ModelZooTests
{
    [TestMethod]
    public void List_HasTheIssueNames()
    {
        CollectionAssert.AreEqual(
            new[] { "lenet5", "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "inception_v3", "resnet18", "resnet50", "small_vgg" },
            ModelZoo.List().Select(e => e.Name).ToArray());
        Assert.AreEqual(Architecture.MobileNetV3Large, ModelZoo.Parse("MOBILENET_V3_LARGE"));
        Assert.AreEqual(Architecture.InceptionV3, ModelZoo.Parse("InceptionV3"));
        var e = Assert.ThrowsException<ArgumentException>(() => ModelZoo.Parse("vgg16"));
        StringAssert.Contains(e.Message, "mobilenet_v2");
    }

    [TestMethod]
    public void Preprocessing_TorchvisionVersusKeras()
    {
        var tv = ModelZoo.GetPreprocessing(Architecture.MobileNetV2);
        Assert.AreEqual(NormalizationStyle.TorchvisionMeanStd, tv.Style);
        Assert.AreEqual(224, tv.Height);
        CollectionAssert.AreEqual(new[] { 0.485f, 0.456f, 0.406f }, tv.Mean.ToArray());
        var inception = ModelZoo.GetPreprocessing(Architecture.InceptionV3);
        Assert.AreEqual((299, 342), (inception.Width, inception.ResizeSize));
        var keras = ModelZoo.GetPreprocessing(Architecture.MobileNetV1, new ZooOptions { InputSize = 160 });
        Assert.AreEqual(NormalizationStyle.KerasMinusOneToOne, keras.Style);
        Assert.AreEqual(160, keras.Height);
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f, 0.5f }, keras.Std.ToArray());
    }

    [TestMethod]
    public void ParameterCounts_OfOurOwnAndKerasLayouts()
    {
        // LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850.
        Assert.AreEqual(61_706L, ModelZoo.Create(Architecture.LeNet5, 10).ParameterCount);
        // Keras MobileNet (alpha 1.0): 4,253,864 total of which 21,888 are batch-norm moving statistics.
        var v1 = ModelZoo.Create(Architecture.MobileNetV1);
        Assert.AreEqual(4_231_976L, v1.ParameterCount);
        Assert.AreEqual(21_888L, v1.BufferCount);
        // small VGG: convolutions 286,560 + batch norms 896 + Linear(128, 256) 33,024 + Linear(256, 1000) 257,000.
        Assert.AreEqual(577_480L, ModelZoo.Create(Architecture.SmallVgg).ParameterCount);
        foreach (var e in ModelZoo.List())
        {
            int classes = e.Architecture == Architecture.LeNet5 ? 10 : 1000;
            Assert.AreEqual(e.ReferenceParameterCount, ModelZoo.Create(e.Architecture, classes).ParameterCount, e.Name);
        }
    }

    [TestMethod]
    public void MobileNetV1_WidthAndResolutionMultipliers()
    {
        var m = ModelZoo.Create(Architecture.MobileNetV1, 10, new ZooOptions { WidthMultiplier = 0.25, InputSize = 128 });
        var y = m.Forward(Tensor.RandomNormal(new Random(1), 0, 1, 1, 3, 128, 128));
        CollectionAssert.AreEqual(new[] { 1, 10 }, y.Shape.ToArray());
        var names = m.StateDict().Select(w => w.Name).ToHashSet();
        Assert.IsTrue(names.Contains("conv_dw_13_bn.running_var") && names.Contains("conv_pw_1.weight") && names.Contains("conv_preds.weight"));
        Assert.AreEqual(256, m.StateDict().Single(w => w.Name == "conv_pw_13.weight").Value.Shape[0]);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ModelZoo.Create(Architecture.MobileNetV1, options: new ZooOptions { WidthMultiplier = 1.5 }));
    }

    [TestMethod]
    public void FeatureExtractors_EmitThePooledEmbedding()
    {
        (Architecture Arch, int Size, int Features)[] cases =
        [
            (Architecture.MobileNetV2, 64, 1280), (Architecture.MobileNetV3Large, 64, 960), (Architecture.MobileNetV3Small, 64, 576),
            (Architecture.ResNet18, 64, 512), (Architecture.LeNet5, 28, 84), (Architecture.SmallVgg, 32, 128),
        ];
        foreach (var (arch, size, features) in cases)
        {
            var m = ModelZoo.CreateFeatureExtractor(arch, new ZooOptions { InputSize = size });
            int channels = ModelZoo.GetPreprocessing(arch).Channels;
            var y = m.Forward(Tensor.RandomNormal(new Random(2), 0, 1, 2, channels, size, size));
            CollectionAssert.AreEqual(new[] { 2, features }, y.Shape.ToArray(), ModelZoo.NameOf(arch));
            Assert.IsFalse(m.StateDict().Any(w => w.Name.StartsWith("classifier.", StringComparison.Ordinal) || w.Name.StartsWith("fc.", StringComparison.Ordinal)), ModelZoo.NameOf(arch));
        }
    }

    [TestMethod]
    public void Create_RejectsBadOptions()
    {
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ModelZoo.Create(Architecture.ResNet18, 0));
        Assert.ThrowsException<ArgumentException>(() => ModelZoo.Create(Architecture.InceptionV3, options: new ZooOptions { InputSize = 64 }));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ModelZoo.Create(Architecture.MobileNetV2, options: new ZooOptions { DropoutRate = 1f }));
    }

    [TestMethod]
    public void SmallNets_TrainOneStepWithoutError()
    {
        var m = ModelZoo.Create(Architecture.SmallVgg, 3, new ZooOptions { InputSize = 16 });
        var x = Tensor.RandomNormal(new Random(3), 0, 1, 4, 3, 16, 16);
        var y = m.Forward(x, training: true);
        CollectionAssert.AreEqual(new[] { 4, 3 }, y.Shape.ToArray());
        m.Backward(Tensor.Full(0.1f, 4, 3));
        Assert.IsTrue(m.Layers.Single(l => l.Name == "features.0").Parameters[0].Gradient.Span.ToArray().Any(v => v != 0), "first convolution got no gradient");
    }
}
