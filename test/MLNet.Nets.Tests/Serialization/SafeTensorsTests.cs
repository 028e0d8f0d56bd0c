using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Serialization;

[TestClass]
public sealed class SafeTensorsTests
{
    private static List<KeyValuePair<string, Tensor>> Sample()
    {
        var random = new Random(7);
        return
        [
            new("features.0.weight", Tensor.RandomNormal(random, 0f, 1f, 4, 3, 3, 3)),
            new("features.0.bias", Tensor.RandomNormal(random, 0f, 1f, 4)),
            new("scalar", Tensor.Full(2.5f, [])),
            new("empty", new Tensor(0, 3)),
            new("classifier.weight", Tensor.RandomNormal(random, 0f, 1f, 10, 5)),
        ];
    }

    [TestMethod]
    public void RoundTrip_PreservesOrderShapesValuesAndMetadata()
    {
        var tensors = Sample();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" };
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, metadata);
        stream.Position = 0;
        var content = SafeTensors.Read(stream);

        CollectionAssert.AreEqual(tensors.Select(t => t.Key).ToList(), content.Tensors.Keys.ToList());
        foreach (var (name, expected) in tensors)
        {
            var actual = content.Tensors[name];
            CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), name);
            CollectionAssert.AreEqual(expected.Span.ToArray(), actual.Span.ToArray(), name);
            Assert.AreEqual("F32", content.DTypes[name]);
        }
        Assert.AreEqual(2, content.Metadata.Count);
        Assert.AreEqual("ünïcode \"quoted\"", content.Metadata["note"]);
    }

    [TestMethod]
    public void Write_HeaderIsSpacePaddedToEightBytes_AndDataFollowsInOrder()
    {
        var a = new Tensor([1f, 2f, 3f], 3);
        var b = new Tensor([-1f], 1);
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new("a", a), new("bb", b)]);
        byte[] bytes = stream.ToArray();
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.AreEqual(0, n % 8, "header length is a multiple of 8");
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        string trimmed = header.TrimEnd(' ');
        Assert.IsTrue(header.Length - trimmed.Length < 8);
        Assert.AreEqual("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},\"bb\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", trimmed);
        Assert.AreEqual(8 + n + 16, bytes.Length);
        Assert.AreEqual(3f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(8 + n + 8))));
        Assert.AreEqual(-1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(8 + n + 12))));
    }

    [TestMethod]
    public void WriteFile_ReplacesAtomically_AndLeavesNoTemporaryFile()
    {
        string dir = Directory.CreateTempSubdirectory("st-").FullName;
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            File.WriteAllText(path, "old");
            SafeTensors.Write(path, Sample());
            Assert.AreEqual(1, Directory.GetFiles(dir).Length, "only the destination remains");
            var content = SafeTensors.Read(path);
            Assert.AreEqual(5, content.Tensors.Count);

            // A failing write (duplicate name) leaves the earlier file intact and no temporary file.
            var bad = new List<KeyValuePair<string, Tensor>> { new("x", new Tensor(2)), new("x", new Tensor(2)) };
            Assert.ThrowsException<ArgumentException>(() => SafeTensors.Write(path, bad));
            Assert.AreEqual(1, Directory.GetFiles(dir).Length);
            Assert.AreEqual(5, SafeTensors.Read(path).Tensors.Count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Read_FileWrittenByPythonPerSpec_ConvertsEveryDtype()
    {
        // The `safetensors` module is not installed here, so the peer writes the bytes by the spec with numpy/torch,
        // in the reference writer's layout (sorted by dtype then name, space padding), and prints the values as JSON.
        string dir = Directory.CreateTempSubdirectory("st-py-").FullName;
        try
        {
            string path = Path.Combine(dir, "peer.safetensors");
            string script = """
import json, struct, sys
import numpy as np, torch
torch.set_num_threads(2)
torch.manual_seed(0)
base = torch.randn(2, 3, 4)
tensors = {
  "w.f32": (base, "F32", base.numpy().astype("<f4").tobytes()),
  "w.f16": (base.half().float(), "F16", base.half().numpy().astype("<f2").tobytes()),
  "w.bf16": (base.bfloat16().float(), "BF16", base.bfloat16().view(torch.int16).numpy().astype("<i2").tobytes()),
  "w.f64": (base.double().float(), "F64", base.double().numpy().astype("<f8").tobytes()),
  "bn.num_batches_tracked": (torch.tensor(123456.0), "I64", np.array(123456, dtype="<i8").tobytes()),
  "idx": (torch.tensor([-3.0, 7.0, 0.0]), "I32", np.array([-3, 7, 0], dtype="<i4").tobytes()),
}
header = {"__metadata__": {"format": "pt", "source": "peer"}}
data = b""
sizes = {"F64": 8, "I64": 8, "F32": 4, "I32": 4, "F16": 2, "BF16": 2}
for name in sorted(tensors, key=lambda n: (-sizes[tensors[n][1]], n)):
    ref, dtype, raw = tensors[name]
    header[name] = {"dtype": dtype, "shape": list(ref.shape), "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + data)
print(json.dumps({n: {"shape": list(v[0].shape), "values": v[0].reshape(-1).tolist()} for n, v in tensors.items()}))
""";
            string output = Python.Run(script, path);
            var content = SafeTensors.Read(path);
            using var expected = JsonDocument.Parse(output);
            int count = 0;
            foreach (var item in expected.RootElement.EnumerateObject())
            {
                var tensor = content.Tensors[item.Name];
                var shape = item.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                CollectionAssert.AreEqual(shape, tensor.Shape.ToArray(), item.Name);
                var values = item.Value.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
                Numerics.AssertClose(values, tensor.Span, 0f, 0f, item.Name);
                count++;
            }
            Assert.AreEqual(6, count);
            Assert.AreEqual("I64", content.DTypes["bn.num_batches_tracked"]);
            Assert.AreEqual("BF16", content.DTypes["w.bf16"]);
            Assert.AreEqual("peer", content.Metadata["source"]);
            // Order is the header's order, which the reference writer makes the data order.
            Assert.AreEqual("bn.num_batches_tracked", content.Tensors.GetAt(0).Key);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Write_FileIsReadableByPythonPerSpec()
    {
        string dir = Directory.CreateTempSubdirectory("st-py-").FullName;
        try
        {
            string path = Path.Combine(dir, "ours.safetensors");
            var tensors = Sample();
            SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["k"] = "v" });
            string script = """
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
assert n % 8 == 0
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
out = {"__metadata__": header.pop("__metadata__")}
for name, info in header.items():
    assert info["dtype"] == "F32"
    b, e = info["data_offsets"]
    a = np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"])
    out[name] = {"shape": list(a.shape), "sum": float(a.astype(np.float64).sum()), "first": float(a.reshape(-1)[0]) if a.size else None}
print(json.dumps(out))
""";
            using var result = JsonDocument.Parse(Python.Run(script, path));
            Assert.AreEqual("v", result.RootElement.GetProperty("__metadata__").GetProperty("k").GetString());
            foreach (var (name, tensor) in tensors)
            {
                var item = result.RootElement.GetProperty(name);
                CollectionAssert.AreEqual(tensor.Shape.ToArray(), item.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), name);
                double sum = 0;
                foreach (float v in tensor.Span) sum += v;
                Assert.AreEqual(sum, item.GetProperty("sum").GetDouble(), 1e-9, name);
                if (tensor.Length > 0) Assert.AreEqual(tensor.Span[0], (float)item.GetProperty("first").GetDouble(), name);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Read_TruncatedAnywhere_GivesClearError()
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, Sample());
        byte[] bytes = stream.ToArray();
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        foreach (int cut in new[] { 0, 5, 8, 20, headerEnd - 1, headerEnd + 3, bytes.Length - 1 })
        {
            foreach (bool seekable in new[] { true, false })
            {
                Stream s = seekable ? new MemoryStream(bytes, 0, cut) : new ForwardOnlyStream(bytes.AsSpan(0, cut).ToArray());
                var e = Assert.ThrowsException<InvalidDataException>(() => SafeTensors.Read(s, "cut.safetensors"), $"cut {cut}");
                StringAssert.Contains(e.Message, "cut.safetensors");
                if (cut >= headerEnd) StringAssert.Contains(e.Message, "tensor '", $"cut {cut} names the tensor");
                if (cut == bytes.Length - 1) StringAssert.Contains(e.Message, "classifier.weight");
            }
        }
    }

    [TestMethod]
    public void Read_NonSeekableStream_ReadsLikeSeekable()
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, Sample());
        var content = SafeTensors.Read(new ForwardOnlyStream(stream.ToArray()));
        Assert.AreEqual(5, content.Tensors.Count);
        var extra = stream.ToArray().Append((byte)0).ToArray();
        var e = Assert.ThrowsException<InvalidDataException>(() => SafeTensors.Read(new ForwardOnlyStream(extra)));
        StringAssert.Contains(e.Message, "follow the last tensor");
    }

    private static byte[] Raw(string json, int dataBytes, ulong? lengthOverride = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, lengthOverride ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static string ReadError(byte[] bytes) =>
        Assert.ThrowsException<InvalidDataException>(() => SafeTensors.Read(new MemoryStream(bytes), "bad.safetensors")).Message;

    [TestMethod]
    public void Read_MalformedHeaders_AreRejectedNamingTheTensor()
    {
        StringAssert.Contains(ReadError(Raw("{}", 0, 200_000_000)), "exceeds the limit");
        StringAssert.Contains(ReadError(Raw("[1]", 0)), "does not start with '{'");
        StringAssert.Contains(ReadError(Raw("{\"a\":", 0)), "not valid JSON");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20)),
            "tensor 'a': shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] hold 20");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)),
            "tensor 'b' (bytes [4, 12)) overlaps tensor 'a'");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16)),
            "tensor 'b' starts at byte 12 but the previous tensor 'a' ends at 8");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)),
            "tensor 'a' starts at byte 4");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)),
            "tensor 'a' needs data bytes [0, 16) but the data section has only 8 bytes");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)),
            "the data section has 8 bytes but the tensors cover only 4");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)),
            "names 'a' more than once");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)),
            "tensor 'a' has unsupported dtype 'C64'");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
            "tensor 'a': shape dimension 0 is not a non-negative integer");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", 4)),
            "tensor 'a': shape [65536,65536] has more elements");
        StringAssert.Contains(ReadError(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)), "tensor 'a' has no 'data_offsets'");
        StringAssert.Contains(ReadError(Raw("{\"__metadata__\":{\"k\":1}}", 0)), "entry 'k' must be a string");
    }

    /// <summary>A stream that can only be read forwards, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Runs a script with the system python that has numpy and torch.</summary>
    internal static class Python
    {
        public static string Run(string script, params string[] args)
        {
            var info = new ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(script);
            foreach (var a in args) info.ArgumentList.Add(a);
            info.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Assert.Fail($"python exited with {process.ExitCode}: {stderr.Result}");
            }
            return stdout.Trim().Split('\n').Last();
        }
    }
}
