using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Weights;

[TestClass]
public sealed class StateDictLoaderTests
{
    private static List<KeyValuePair<string, Tensor>> Source() =>
    [
        new("conv.weight", Tensor.RandomNormal(new Random(1), 0f, 1f, 4, 3, 3, 3)),
        new("conv.bias", new Tensor([1f, 2f, 3f, 4f], 4)),
        new("bn.running_mean", new Tensor([0.5f, 0.25f, 0f, -1f], 4)),
        new("bn.num_batches_tracked", Tensor.Full(7f, [])),
    ];

    private static List<KeyValuePair<string, Tensor>> Model(int outChannels = 4) =>
    [
        new("conv.weight", new Tensor(outChannels, 3, 3, 3)),
        new("conv.bias", new Tensor(outChannels)),
        new("bn.running_mean", new Tensor(outChannels)),
    ];

    [TestMethod]
    public void Load_CopiesByName_AndIgnoresTheBatchNormCounter()
    {
        var source = Source();
        var model = Model();
        var result = StateDictLoader.Load(model, source);
        CollectionAssert.AreEqual(new[] { "conv.weight", "conv.bias", "bn.running_mean" }, result.Loaded.ToArray());
        Assert.AreEqual(0, result.Missing.Count);
        Assert.AreEqual(0, result.Unexpected.Count);
        for (int i = 0; i < model.Count; i++)
        {
            CollectionAssert.AreEqual(source[i].Value.Span.ToArray(), model[i].Value.Span.ToArray(), model[i].Key);
            Assert.AreNotSame(source[i].Value, model[i].Value);
        }
    }

    [TestMethod]
    public void Load_ShapeMismatch_NamesEveryTensor_AndCopiesNothing()
    {
        var model = Model(outChannels: 8);
        var e = Assert.ThrowsException<InvalidDataException>(() => StateDictLoader.Load(model, Source()));
        StringAssert.Contains(e.Message, "'conv.weight': the weights have shape [4, 3, 3, 3] but the model expects [8, 3, 3, 3]");
        StringAssert.Contains(e.Message, "'bn.running_mean'");
        Assert.IsTrue(model.All(kv => kv.Value.Span.ToArray().All(v => v == 0f)), "nothing was copied");

        // A partly fitting model is not half-loaded either.
        var mixed = Model();
        mixed[1] = new("conv.bias", new Tensor(5));
        Assert.ThrowsException<InvalidDataException>(() => StateDictLoader.Load(mixed, Source()));
        Assert.IsTrue(mixed[0].Value.Span.ToArray().All(v => v == 0f));
    }

    [TestMethod]
    public void Load_Strict_ListsMissingAndUnexpected_NonStrictReportsThem()
    {
        var model = Model();
        model.Add(new("fc.weight", new Tensor(2, 4)));
        var source = Source();
        source.Add(new("head.weight", new Tensor(3)));
        var e = Assert.ThrowsException<InvalidDataException>(() => StateDictLoader.Load(model, source));
        StringAssert.Contains(e.Message, "Missing from the weights (1): 'fc.weight'");
        StringAssert.Contains(e.Message, "Not in the model (1): 'head.weight'");

        var result = StateDictLoader.Load(model, source, strict: false);
        CollectionAssert.AreEqual(new[] { "fc.weight" }, result.Missing.ToArray());
        CollectionAssert.AreEqual(new[] { "head.weight" }, result.Unexpected.ToArray());
        Assert.AreEqual(3, result.Loaded.Count);
    }

    [TestMethod]
    public void Load_MapSourceName_StripsPrefixesAndSkips()
    {
        var source = Source().Select(kv => new KeyValuePair<string, Tensor>("module." + kv.Key, kv.Value)).ToList();
        var model = Model();
        model.RemoveAt(2);
        var result = StateDictLoader.Load(model, source, mapSourceName: n => n.Contains("running") ? null : n["module.".Length..]);
        Assert.AreEqual(2, result.Loaded.Count);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, model[1].Value.Span.ToArray());
    }
}
