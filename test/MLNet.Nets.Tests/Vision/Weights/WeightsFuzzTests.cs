using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Weights;

/// <summary>
/// Damaged files must fail with the documented exceptions (never IndexOutOfRange, InvalidCast, Overflow, OutOfMemory …):
/// random byte flips and truncations of real files, with fixed seeds.
/// </summary>
[TestClass]
public sealed class WeightsFuzzTests
{
    private static string _torch = "", _onnx = "";

    [ClassInitialize]
    public static void MakeFiles(TestContext _)
    {
        _torch = WeightsPython.GeneratedFiles("make_torch_files.py");
        _onnx = WeightsPython.GeneratedFiles("make_onnx_files.py");
    }

    private static int Fuzz(byte[] original, int seed, int rounds, int region, Action<byte[]> load)
    {
        var random = new Random(seed);
        int failures = 0;
        for (int round = 0; round < rounds; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++) bytes[random.Next(Math.Min(region, bytes.Length))] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                load(bytes);
            }
            catch (Exception e) when (e is InvalidDataException or UnsafePickleException)
            {
                failures++;
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        return failures;
    }

    [TestMethod]
    public void LegacyTorchPickle_DamagedBytes_FailCleanly()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(_torch, "small_legacy.pth"));
        int failures = Fuzz(bytes, 1, 3000, 3200, b => TorchStateDict.Load(new MemoryStream(b), "fuzz.pth"));
        Assert.IsTrue(failures > 300, $"only {failures} damaged files were rejected");
    }

    [TestMethod]
    public void ZipTorchFile_DamagedBytes_FailCleanly()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(_torch, "small.pth"));
        Fuzz(bytes, 2, 1500, bytes.Length, b => TorchStateDict.Load(new MemoryStream(b), "fuzz.pth"));
    }

    [TestMethod]
    public void SafeTensors_DamagedHeader_FailCleanly()
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new("a.weight", Tensor.RandomNormal(new Random(1), 0, 1, 3, 4)), new("a.bias", new Tensor(3))],
            new Dictionary<string, string> { ["k"] = "v" });
        byte[] bytes = stream.ToArray();
        int failures = Fuzz(bytes, 3, 3000, 8 + 160, b => SafeTensors.Read(new MemoryStream(b), "fuzz.safetensors"));
        Assert.IsTrue(failures > 300, $"only {failures} damaged files were rejected");
    }

    [TestMethod]
    public void Onnx_DamagedBytes_FailCleanly()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(_onnx, "types.onnx"));
        int failures = Fuzz(bytes, 4, 3000, bytes.Length, b => OnnxInitializers.Load(new MemoryStream(b), "fuzz.onnx"));
        Assert.IsTrue(failures > 300, $"only {failures} damaged files were rejected");
    }
}
