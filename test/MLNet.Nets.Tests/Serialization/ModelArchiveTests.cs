using System.IO.Compression;
using System.Text.Json.Nodes;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Models;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Serialization;

[TestClass]
public class ModelArchiveTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"nets-archive-{Guid.NewGuid():N}"));

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static Model Functional()
    {
        var x = Input.Create([4], seed: 3, name: "features");
        var a = new Dense(5, Activation.Tanh).Call(x);
        var b = new Dense(5, name: "left").Call(a);
        var c = new Dense(5, Activation.ReLU).Call(a);
        var y = new Dense(2).Call(new TestAdd().Call(b, c));
        return new Model(x, y);
    }

    [TestMethod]
    public void SequentialRoundTripGivesIdenticalPredictions()
    {
        var model = new Sequential([3], 7, new Dense(6, Activation.ReLU), new Dense(2));
        model.Layers[0].Trainable = false;
        model.Layers[1].Parameters[0].L2 = 0.01f;
        string path = Path.Combine(_dir, "seq.zip");
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.IsInstanceOfType<Sequential>(loaded);
        var x = new Tensor(Numerics.RandomArray(new Random(1), 5 * 3), 5, 3);
        CollectionAssert.AreEqual(model.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
        CollectionAssert.AreEqual(model.Layers.Select(l => l.Name).ToArray(), loaded.Layers.Select(l => l.Name).ToArray());
        Assert.IsFalse(loaded.Layers[0].Trainable);
        Assert.AreEqual(0.01f, loaded.Layers[1].Parameters[0].L2);
        Assert.AreEqual(model.Summary(TextWriter.Null), loaded.Summary(TextWriter.Null));
    }

    [TestMethod]
    public void FunctionalRoundTripKeepsTheWiring()
    {
        var model = Functional();
        string path = Path.Combine(_dir, "graph.zip");
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.IsNotInstanceOfType<Sequential>(loaded);
        Assert.AreEqual("features", loaded.Inputs[0].InputName);
        var x = new Tensor(Numerics.RandomArray(new Random(2), 3 * 4), 3, 4);
        CollectionAssert.AreEqual(model.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    [TestMethod]
    public void ResidualConvNetWithBatchNormRoundTripsAfterTraining()
    {
        var x = Input.Create([2, 8, 8], seed: 4);
        var main = new Conv2D(4, kernelSize: 3, padding: Padding.Same).Call(x);
        main = new BatchNormalization().Call(main);
        main = new ActivationLayer(Activation.ReLU).Call(main);
        var shortcut = new Conv2D(4, kernelSize: 1).Call(x);
        var merged = new Add().Call(main, shortcut);
        var both = new Concatenate().Call(new GlobalAvgPool2D().Call(merged), new GlobalMaxPool2D().Call(merged));
        var model = new Model(x, new Dense(3).Call(both));
        var random = new Random(8);
        var data = new Tensor(Numerics.RandomArray(random, 40 * 2 * 8 * 8), 40, 2, 8, 8);
        var labels = new Tensor(Enumerable.Range(0, 40).Select(i => (float)(i % 3)).ToArray(), 40);
        model.Compile(new MLNet.Nets.Optimizers.Adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
        model.Fit(data, labels, batchSize: 8, epochs: 2);
        string path = Path.Combine(_dir, "residual.zip");
        model.Save(path);
        var loaded = Model.Load(path);
        CollectionAssert.AreEqual(model.Predict(data).Span.ToArray(), loaded.Predict(data).Span.ToArray());
        var names = loaded.StateDict().Select(w => w.Name).ToArray();
        CollectionAssert.Contains(names, "batch_normalization.running_mean");
        Assert.AreEqual(model.Summary(TextWriter.Null), loaded.Summary(TextWriter.Null));
    }

    [TestMethod]
    public void SavingOverAnExistingFileIsAtomicAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "m.zip");
        var first = new Sequential([2], 1, new Dense(1));
        first.Save(path);
        var second = new Sequential([2], 2, new Dense(1));
        second.Save(path);
        CollectionAssert.AreEqual(second.Parameters[0].Value.Span.ToArray(), Model.Load(path).Parameters[0].Value.Span.ToArray());
        Assert.AreEqual(1, Directory.GetFiles(_dir).Length);
    }

    [TestMethod]
    public void TruncatedFileGivesAClearError()
    {
        string path = Path.Combine(_dir, "m.zip");
        new Sequential([3], 0, new Dense(50), new Dense(2)).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.ThrowsException<InvalidDataException>(() => Model.Load(path));
        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "corrupt or truncated");
    }

    [TestMethod]
    public void CorruptWeightsDataGivesAClearError()
    {
        string path = Path.Combine(_dir, "m.zip");
        new Sequential([30], 0, new Dense(50), new Dense(2)).Save(path);
        var bytes = File.ReadAllBytes(path);
        // Overwrite a stretch inside the weights entry's compressed data; the zip directory stays intact.
        int start;
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.IsNotNull(zip.GetEntry(ModelArchive.WeightsEntry));
        }
        start = bytes.AsSpan().IndexOf("weights.safetensors"u8) + 40;
        for (int i = start; i < start + 200; i++) bytes[i] = (byte)(i * 37);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.ThrowsException<InvalidDataException>(() => Model.Load(path));
        StringAssert.Contains(ex.Message, path);
    }

    [TestMethod]
    public void NewerFormatVersionIsRejectedWithTheVersions()
    {
        string path = Path.Combine(_dir, "m.zip");
        new Sequential([3], 0, new Dense(2)).Save(path);
        EditManifest(path, m => m["version"] = ModelArchive.FormatVersion + 1);
        var ex = Assert.ThrowsException<InvalidDataException>(() => Model.Load(path));
        StringAssert.Contains(ex.Message, $"format version {ModelArchive.FormatVersion + 1}");
        StringAssert.Contains(ex.Message, "newer");
    }

    [TestMethod]
    public void WeightMismatchesAreAllListedByName()
    {
        string path = Path.Combine(_dir, "m.zip");
        new Sequential([3], 0, new Dense(4, name: "hidden"), new Dense(2, name: "out")).Save(path);
        // Make the manifest describe other shapes and names than the stored weights.
        EditManifest(path, m =>
        {
            var layers = m["layers"]!.AsArray();
            layers[0]!["config"]!["units"] = 5;
            layers[1]!["name"] = "head";
            layers[1]!["config"]!["name"] = "head";
        });
        var ex = Assert.ThrowsException<InvalidDataException>(() => Model.Load(path));
        StringAssert.Contains(ex.Message, "'hidden.weight' has shape [4, 3] but the model expects [5, 3]");
        StringAssert.Contains(ex.Message, "missing 'head.weight'");
        StringAssert.Contains(ex.Message, "unexpected 'out.bias'");
    }

    [TestMethod]
    public void UnknownLayerTypeListsTheKnownTypes()
    {
        string path = Path.Combine(_dir, "m.zip");
        new Sequential([3], 0, new Dense(2)).Save(path);
        EditManifest(path, m => m["layers"]![0]!["type"] = "Capsule");
        var ex = Assert.ThrowsException<InvalidDataException>(() => Model.Load(path));
        StringAssert.Contains(ex.Message, "Capsule");
        StringAssert.Contains(ex.Message, "Dense");
    }

    [TestMethod]
    public void NotAZipFileIsAClearError()
    {
        string path = Path.Combine(_dir, "m.zip");
        File.WriteAllText(path, "hello");
        StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => Model.Load(path)).Message, path);
    }

    [TestMethod]
    public void RegistryFindsLayersByReflection()
    {
        Assert.IsTrue(LayerRegistry.IsRegistered("Dense"));
        Assert.IsTrue(LayerRegistry.IsRegistered("TestAdd"));
        Assert.IsTrue(LayerRegistry.IsRegistered("Scale"), "a layer that overrides TypeName is found under it");
        var model = new Sequential([3], 0, new TestScale());
        string path = Path.Combine(_dir, "scale.zip");
        model.Save(path);
        Assert.IsInstanceOfType<TestScale>(Model.Load(path).Layers[0]);
        var layer = LayerRegistry.Create("Dense", new Dense(7, Activation.ReLU).GetConfig());
        Assert.AreEqual(7, ((Dense)layer).Units);
    }

    private static void EditManifest(string path, Action<JsonObject> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(ModelArchive.ManifestEntry)!;
        JsonObject manifest;
        using (var s = entry.Open()) manifest = JsonNode.Parse(s)!.AsObject();
        edit(manifest);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(ModelArchive.ManifestEntry).Open());
        writer.Write(manifest.ToJsonString());
    }
}
