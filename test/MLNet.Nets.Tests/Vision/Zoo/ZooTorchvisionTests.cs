using MemoryMarshal = System.Runtime.InteropServices.MemoryMarshal;
using System.Text.Json;
using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Tests.Vision.Zoo;

/// <summary>The bar of issue 7: torchvision models with random weights and random batch-norm statistics, saved as
/// <c>.pth</c>, load by name into our architectures and give the same logits (max |ours − torch| ≤ 1e-4·max |torch|).</summary>
[TestClass]
public sealed class ZooTorchvisionTests
{
    [TestMethod]
    public void MobileNetV2_MatchesTorchvision() => CheckLogits(Architecture.MobileNetV2, 224);

    [TestMethod]
    public void MobileNetV3Small_MatchesTorchvision() => CheckLogits(Architecture.MobileNetV3Small, 224);

    [TestMethod]
    public void MobileNetV3Large_MatchesTorchvision() => CheckLogits(Architecture.MobileNetV3Large, 224);

    [TestMethod]
    public void ResNet18_MatchesTorchvision() => CheckLogits(Architecture.ResNet18, 160);

    [TestMethod]
    public void InceptionV3_WithAuxHead_MatchesTorchvision() => CheckLogits(Architecture.InceptionV3, 299);

    [TestMethod]
    public void ParameterCounts_EqualTorchvision()
    {
        string dir = ZooPython.Generate(["counts"]);
        var counts = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(Path.Combine(dir, "counts.json")))!;
        foreach (var arch in new[] { Architecture.MobileNetV2, Architecture.MobileNetV3Small, Architecture.MobileNetV3Large, Architecture.ResNet18, Architecture.ResNet50, Architecture.InceptionV3 })
        {
            string name = ModelZoo.NameOf(arch);
            Assert.AreEqual(counts[name], ModelZoo.Create(arch).ParameterCount, name);
            Assert.AreEqual(counts[name], ModelZoo.Info(arch).ReferenceParameterCount, name + " (listed)");
        }
        Assert.AreEqual(3_504_872L, counts["mobilenet_v2"]);
        Assert.AreEqual(counts["inception_v3_aux"], ModelZoo.Create(Architecture.InceptionV3, options: new ZooOptions { AuxLogits = true }).ParameterCount);
        Assert.AreEqual(counts["mobilenet_v2_0.5"], ModelZoo.Create(Architecture.MobileNetV2, options: new ZooOptions { WidthMultiplier = 0.5 }).ParameterCount);
        Assert.AreEqual(counts["mobilenet_v2_0.5_10"], ModelZoo.Create(Architecture.MobileNetV2, 10, new ZooOptions { WidthMultiplier = 0.5 }).ParameterCount);
    }

    [TestMethod]
    public void MobileNetV2_FeatureExtractor_LoadsTheFullStateDictAndFeedsTheHead()
    {
        string dir = ZooPython.Generate(["mobilenet_v2", "224"]);
        var extractor = ModelZoo.CreateFeatureExtractor(Architecture.MobileNetV2);
        var weights = PretrainedWeights.FromFile(Path.Combine(dir, "model.pth"));
        var result = weights.LoadInto(extractor, strict: false);
        Assert.AreEqual(0, result.Missing.Count);
        CollectionAssert.AreEquivalent(new[] { "classifier.1.weight", "classifier.1.bias" }, result.Unexpected.ToArray());
        var embedding = extractor.Forward(new Tensor(ReadFloats(Path.Combine(dir, "x.f32")), 2, 3, 224, 224));
        CollectionAssert.AreEqual(new[] { 2, 1280 }, embedding.Shape.ToArray());
        // The torch head applied by hand to our embedding gives torch's logits.
        var all = weights.Load();
        var w = all["classifier.1.weight"].Span;
        var b = all["classifier.1.bias"].Span;
        float[] expected = ReadFloats(Path.Combine(dir, "y.f32"));
        float scale = expected.Max(Math.Abs), worst = 0;
        for (int n = 0; n < 2; n++)
        {
            for (int k = 0; k < 1000; k++)
            {
                double sum = b[k];
                for (int f = 0; f < 1280; f++) sum += w[k * 1280 + f] * embedding.Span[n * 1280 + f];
                worst = Math.Max(worst, Math.Abs((float)sum - expected[n * 1000 + k]));
            }
        }
        Assert.IsTrue(worst <= 1e-4f * scale, $"head on our embedding: max error {worst:G4}, scale {scale:G4}");
    }

    private static void CheckLogits(Architecture arch, int size)
    {
        string name = ModelZoo.NameOf(arch);
        string dir = ZooPython.Generate([name, size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var model = ModelZoo.Create(arch, options: new ZooOptions { InputSize = size, AuxLogits = arch == Architecture.InceptionV3 });
        var result = PretrainedWeights.FromFile(Path.Combine(dir, "model.pth")).LoadInto(model);
        Assert.AreEqual(0, result.Missing.Count, name);
        var x = new Tensor(ReadFloats(Path.Combine(dir, "x.f32")), 2, 3, size, size);
        float[] expected = ReadFloats(Path.Combine(dir, "y.f32"));
        var actual = model.Forward([x])[0].Span;
        Assert.AreEqual(expected.Length, actual.Length, name);
        float scale = 0, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.IsTrue(scale > 0, $"{name}: torch logits are all zero");
        Assert.IsTrue(worst <= 1e-4f * scale, $"{name}: max |ours − torch| = {worst:G4} > 1e-4 × max |torch| = {1e-4f * scale:G4}");
    }

    private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
