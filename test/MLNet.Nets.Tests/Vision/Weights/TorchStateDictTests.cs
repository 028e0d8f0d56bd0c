using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Weights;

[TestClass]
public sealed class TorchStateDictTests
{
    private static string _dir = "";

    [ClassInitialize]
    public static void MakeFiles(TestContext _)
    {
        _dir = WeightsPython.GeneratedFiles("make_torch_files.py");
    }

    private static string File(string name) => Path.Combine(_dir, name);

    /// <summary>Checks every tensor against the float32 reference torch wrote: same order, shapes, dtypes, values.</summary>
    private static void AssertMatchesReference(TorchStateDict loaded, string reference)
    {
        using var meta = JsonDocument.Parse(System.IO.File.ReadAllText(File("meta.json")));
        var entries = meta.RootElement.GetProperty(reference).EnumerateArray().ToList();
        byte[] raw = System.IO.File.ReadAllBytes(File(reference + ".f32"));
        var values = MemoryMarshal.Cast<byte, float>(raw);
        Assert.AreEqual(entries.Count, loaded.Tensors.Count, "tensor count");
        int offset = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            string name = entries[i].GetProperty("name").GetString()!;
            var shape = entries[i].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var (actualName, tensor) = loaded.Tensors.GetAt(i);
            Assert.AreEqual(name, actualName, $"name of tensor {i}");
            CollectionAssert.AreEqual(shape, tensor.Shape.ToArray(), $"shape of {name}");
            Assert.AreEqual(entries[i].GetProperty("dtype").GetString(), loaded.DTypes[name], $"dtype of {name}");
            var expected = values.Slice(offset, tensor.Length);
            for (int j = 0; j < expected.Length; j++)
            {
                if (BitConverter.SingleToInt32Bits(expected[j]) != BitConverter.SingleToInt32Bits(tensor.Span[j]))
                {
                    Assert.Fail($"{name}[{j}]: expected {expected[j]} but got {tensor.Span[j]}");
                }
            }
            offset += tensor.Length;
        }
        Assert.AreEqual(values.Length, offset, "all reference values consumed");
    }

    [TestMethod]
    public void Load_ZipStateDict_MatchesTorchExactly_AllDtypesViewsAndOffsets()
    {
        var loaded = TorchStateDict.Load(File("small.pth"));
        AssertMatchesReference(loaded, "small");
        Assert.AreEqual(1f, loaded.Tensors["1.num_batches_tracked"].Span[0]);
        Assert.AreEqual("int64", loaded.DTypes["1.num_batches_tracked"]);
        Assert.AreEqual(0, loaded.Tensors["extra.scalar"].Rank);
    }

    [TestMethod]
    public void PretrainedWeights_FromFile_ReadsBothTorchLayouts()
    {
        foreach (string name in new[] { "small.pth", "small_legacy.pth" })
        {
            var weights = PretrainedWeights.FromFile(File(name));
            Assert.AreEqual(WeightsFormat.PyTorch, weights.Format);
            Assert.IsNull(weights.Known);
            var tensors = weights.Load();
            CollectionAssert.AreEqual(TorchStateDict.Load(File("small.pth")).Tensors["0.weight"].Span.ToArray(), tensors["0.weight"].Span.ToArray());
        }
    }

    [TestMethod]
    public void Load_LegacyFormat_MatchesTorchExactly()
    {
        AssertMatchesReference(TorchStateDict.Load(File("small_legacy.pth")), "small");
    }

    [TestMethod]
    public void Load_NonSeekableStream_Works()
    {
        byte[] bytes = System.IO.File.ReadAllBytes(File("small.pth"));
        using var stream = new GZipStream(new MemoryStream(Gzip(bytes)), CompressionMode.Decompress);
        AssertMatchesReference(TorchStateDict.Load(stream), "small");
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(bytes);
        return output.ToArray();
    }

    [TestMethod]
    public void Load_CheckpointDict_TakesStateDictEntry()
    {
        AssertMatchesReference(TorchStateDict.Load(File("checkpoint.pt")), "checkpoint");
    }

    [TestMethod]
    public void Load_StateDictOfParameters_KeepVars_Loads()
    {
        AssertMatchesReference(TorchStateDict.Load(File("keep_vars.pth")), "checkpoint");
    }

    [TestMethod]
    public void Unpickler_ValueBudget_StopsListBombs()
    {
        // EMPTY_LIST, then (EMPTY_LIST APPEND) × 5000: each append leaves the stack small but allocates a list.
        var p = new List<byte> { 0x80, 2, (byte)']' };
        for (int i = 0; i < 5000; i++) p.AddRange([(byte)']', (byte)'a']);
        p.Add((byte)'.');
        var ok = new RestrictedUnpickler(p.ToArray(), 0, "bomb", maxValues: 10_000).Load();
        Assert.AreEqual(5000, ((List<object?>)ok!).Count);
        var e = Assert.ThrowsException<InvalidDataException>(() => new RestrictedUnpickler(p.ToArray(), 0, "bomb", maxValues: 1000).Load());
        StringAssert.Contains(e.Message, "more than 1000 values");
    }

    [TestMethod]
    public void Load_TorchvisionMobileNetV2_MatchesTorchExactly()
    {
        var loaded = TorchStateDict.Load(File("mobilenet_v2.pth"));
        AssertMatchesReference(loaded, "mobilenet_v2");
        long parameters = loaded.Tensors.Where(kv => loaded.DTypes[kv.Key] == "float32" && !kv.Key.Contains("running_")).Sum(kv => (long)kv.Value.Length);
        Assert.AreEqual(3_504_872, parameters, "mobilenet_v2 parameter count");
    }

    [TestMethod]
    public void Load_MaliciousGlobal_IsRefusedNamingIt_AndNothingRuns()
    {
        string marker = File("marker");
        Assert.IsFalse(System.IO.File.Exists(marker));
        var e = Assert.ThrowsException<UnsafePickleException>(() => TorchStateDict.Load(File("evil.pth")));
        Assert.AreEqual("posix.system", e.Global);
        Assert.AreEqual("GLOBAL", e.Opcode);
        StringAssert.Contains(e.Message, "refusing global 'posix.system'");
        StringAssert.Contains(e.Message, "evil.pth");
        StringAssert.Contains(e.Message, $"byte offset {e.Offset}");
        Assert.IsTrue(e.Offset > 0);
        Assert.IsFalse(System.IO.File.Exists(marker), "the command must not run");
    }

    private static byte[] Zip(byte[] pickle, params (string Name, byte[] Data)[] storages)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] data)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
            Add("any_folder/data.pkl", pickle);
            foreach (var (name, data) in storages) Add("any_folder/data/" + name, data);
            Add("any_folder/version", "3\n"u8.ToArray());
        }
        return output.ToArray();
    }

    [TestMethod]
    public void Load_HandCraftedStackGlobalsAndOpcodes_AreRefused()
    {
        // protocol 4: STACK_GLOBAL builtins.eval, then REDUCE — refused at STACK_GLOBAL before any call.
        byte[] eval = [0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0,
            0x8c, 8, .. "builtins"u8, 0x94, 0x8c, 4, .. "eval"u8, 0x94, 0x93, 0x94,
            0x8c, 10, .. "print('x')"u8, 0x85, (byte)'R', (byte)'.'];
        var e = Assert.ThrowsException<UnsafePickleException>(() => TorchStateDict.Load(new MemoryStream(Zip(eval)), "eval.pth"));
        Assert.AreEqual("builtins.eval", e.Global);
        Assert.AreEqual("STACK_GLOBAL", e.Opcode);
        Assert.AreEqual(29, e.Offset);
        StringAssert.Contains(e.Message, "eval.pth");

        byte[] subprocess = [0x80, 2, (byte)'c', .. "subprocess\nPopen\n"u8, (byte)')', (byte)'R', (byte)'.'];
        e = Assert.ThrowsException<UnsafePickleException>(() => TorchStateDict.Load(new MemoryStream(Zip(subprocess))));
        Assert.AreEqual("subprocess.Popen", e.Global);
        Assert.AreEqual(2, e.Offset);

        byte[] inst = [0x80, 2, (byte)'(', (byte)'i', .. "os\nsystem\n"u8, (byte)'.'];
        e = Assert.ThrowsException<UnsafePickleException>(() => TorchStateDict.Load(new MemoryStream(Zip(inst))));
        Assert.AreEqual("INST", e.Opcode);
        Assert.IsNull(e.Global);

        // torch.storage._load_from_bytes runs torch.load on embedded bytes: not allowed either.
        byte[] fromBytes = [0x80, 2, (byte)'c', .. "torch.storage\n_load_from_bytes\n"u8, (byte)'.'];
        e = Assert.ThrowsException<UnsafePickleException>(() => TorchStateDict.Load(new MemoryStream(Zip(fromBytes))));
        Assert.AreEqual("torch.storage._load_from_bytes", e.Global);
    }

    [TestMethod]
    public void Load_HandCraftedStateDict_WithProtocol4Opcodes_Loads()
    {
        // {'w': _rebuild_tensor_v2(storage('0', float, 4 elements), 1, (3,), (1,), False, OrderedDict())} via
        // SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, BINGET, TUPLE3, LONG1 and FRAME.
        var p = new List<byte> { 0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'}', 0x94 };
        void Str(string s) { p.Add(0x8c); p.Add((byte)s.Length); p.AddRange(Encoding.UTF8.GetBytes(s)); p.Add(0x94); }
        Str("w");
        Str("torch._utils"); Str("_rebuild_tensor_v2"); p.Add(0x93); p.Add(0x94);
        p.Add((byte)'(');
        p.Add((byte)'('); Str("storage"); Str("torch"); Str("FloatStorage"); p.Add(0x93); Str("0"); Str("cpu");
        p.AddRange([0x8a, 1, 4, (byte)'t', (byte)'Q']);
        p.AddRange([(byte)'K', 1, (byte)'K', 3, 0x85, (byte)'K', 1, 0x85, 0x89]);
        Str("collections"); Str("OrderedDict"); p.Add(0x93); p.Add((byte)')'); p.Add((byte)'R');
        p.AddRange([(byte)'t', (byte)'R', (byte)'s', (byte)'.']);
        var storage = MemoryMarshal.AsBytes<float>([10f, 11f, 12f, 13f]).ToArray();
        var loaded = TorchStateDict.Load(new MemoryStream(Zip(p.ToArray(), ("0", storage))));
        CollectionAssert.AreEqual(new[] { 11f, 12f, 13f }, loaded.Tensors["w"].Span.ToArray());
    }

    private static byte[] OneTensorPickle(int elements)
    {
        // {'w': _rebuild_tensor_v2(storage('0', float, elements), 0, (elements,), (1,), False, OrderedDict())}
        var p = new List<byte> { 0x80, 2, (byte)'}' };
        void Str(string s) { p.Add(0x8c); p.Add((byte)s.Length); p.AddRange(Encoding.UTF8.GetBytes(s)); }
        void Int(int v) { p.Add((byte)'J'); p.AddRange(BitConverter.GetBytes(v)); }
        Str("w");
        p.AddRange([(byte)'c', .. "torch._utils\n_rebuild_tensor_v2\n"u8, (byte)'(', (byte)'(']);
        Str("storage"); p.AddRange([(byte)'c', .. "torch\nFloatStorage\n"u8]); Str("0"); Str("cpu"); Int(elements);
        p.AddRange([(byte)'t', (byte)'Q', (byte)'K', 0]);
        Int(elements); p.Add(0x85); p.AddRange([(byte)'K', 1, 0x85, 0x89]);
        p.AddRange([(byte)'c', .. "collections\nOrderedDict\n"u8, (byte)')', (byte)'R', (byte)'t', (byte)'R', (byte)'s', (byte)'.']);
        return p.ToArray();
    }

    [TestMethod]
    public void Load_EntryDeclaringAHugeSize_IsRefusedBeforeAllocating()
    {
        const int elements = 500_000_000;
        byte[] zip = Zip(OneTensorPickle(elements), ("0", new byte[40]));
        // Patch the central directory so the 40-byte entry claims 2 000 000 000 bytes (what the pickle expects).
        byte[] name = "any_folder/data/0"u8.ToArray();
        int at = -1;
        for (int i = 0; i + 46 + name.Length <= zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 46, name.Length).SequenceEqual(name)) at = i;
        }
        Assert.IsTrue(at > 0);
        BitConverter.GetBytes((uint)(4L * elements)).CopyTo(zip, at + 24);
        long before = GC.GetTotalAllocatedBytes();
        var e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(new MemoryStream(zip), "bomb.pth"));
        StringAssert.Contains(e.Message, "zip bomb");
        Assert.IsTrue(GC.GetTotalAllocatedBytes() - before < 100_000_000, "nothing large was allocated");

        // Unpatched, the size disagreement itself is reported, naming the storage.
        e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(new MemoryStream(Zip(OneTensorPickle(elements), ("0", new byte[40]))), "liar.pth"));
        StringAssert.Contains(e.Message, "storage '0' should hold 500000000 float32 values");
    }

    [TestMethod]
    public void Load_TensorLargerThanItsStorage_NamesTheTensor()
    {
        var e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(File("oversize.pth")));
        StringAssert.Contains(e.Message, "tensor 'fc.weight'");
        StringAssert.Contains(e.Message, "storage '0' has 10 elements");
    }

    [TestMethod]
    public void Load_StorageEntryOfWrongSize_NamesTheStorage()
    {
        byte[] bytes = System.IO.File.ReadAllBytes(File("small.pth"));
        using var input = new ZipArchive(new MemoryStream(bytes));
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var src = entry.Open();
                var data = new MemoryStream();
                src.CopyTo(data);
                byte[] content = entry.FullName.EndsWith("/data/0", StringComparison.Ordinal) ? data.ToArray()[..^4] : data.ToArray();
                using var dst = zip.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                dst.Write(content);
            }
        }
        var e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(new MemoryStream(output.ToArray()), "short.pth"));
        StringAssert.Contains(e.Message, "storage '0'");
        StringAssert.Contains(e.Message, "short.pth");
    }

    [TestMethod]
    public void Load_TruncatedFiles_GiveClearErrors()
    {
        foreach (string name in new[] { "small.pth", "small_legacy.pth" })
        {
            byte[] bytes = System.IO.File.ReadAllBytes(File(name));
            foreach (int cut in new[] { 3, 100, bytes.Length / 2, bytes.Length - 30, bytes.Length - 1 })
            {
                var stream = new MemoryStream(bytes, 0, cut);
                var e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(stream, name), $"{name} cut at {cut}");
                StringAssert.Contains(e.Message, name, $"{name} cut at {cut}: {e.Message}");
            }
        }
    }

    [TestMethod]
    public void Load_CorruptZip_GivesClearError()
    {
        byte[] bytes = System.IO.File.ReadAllBytes(File("small.pth"));
        // Damage the central directory signature near the end.
        int directory = bytes.Length - 1;
        while (!(bytes[directory] == 'P' && bytes[directory + 1] == 'K' && bytes[directory + 2] == 1 && bytes[directory + 3] == 2)) directory--;
        bytes[directory + 2] = 9;
        var e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(new MemoryStream(bytes), "broken.pth"));
        StringAssert.Contains(e.Message, "broken.pth");

        var garbage = Encoding.ASCII.GetBytes("this is not a weights file at all");
        e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(new MemoryStream(garbage), "text.pth"));
        StringAssert.Contains(e.Message, "text.pth");
        StringAssert.Contains(e.Message, "re-save with torch >= 1.6");
    }

    [TestMethod]
    public void Load_TorchScriptOrWholeModel_ExplainsToSaveTheStateDict()
    {
        var script = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(File("scripted.pt")));
        StringAssert.Contains(script.Message, "TorchScript");
        var whole = Assert.ThrowsException<UnsafePickleException>(() => TorchStateDict.Load(File("whole_model.pth")));
        Assert.AreEqual("torch.nn.modules.linear.Linear", whole.Global);
        StringAssert.Contains(whole.Message, "torch.save(model.state_dict(), path)");
    }

    [TestMethod]
    public void Load_WholeModelPickle_ExplainsToSaveTheStateDict()
    {
        byte[] list = [0x80, 2, (byte)']', (byte)'.'];
        var e = Assert.ThrowsException<InvalidDataException>(() => TorchStateDict.Load(new MemoryStream(Zip(list))));
        StringAssert.Contains(e.Message, "not a state dict");
    }

    [TestMethod]
    public void Load_EmptyTensorShapes_AreKept()
    {
        var loaded = TorchStateDict.Load(File("small.pth"));
        var empty = loaded.Tensors["extra.empty"];
        CollectionAssert.AreEqual(new[] { 0, 4 }, empty.Shape.ToArray());
        Assert.AreEqual(Tensor.FormatShape([0, 4]), empty.ShapeString);
    }
}
