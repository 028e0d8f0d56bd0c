using System.Diagnostics;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Serialization;

[TestClass]
public class NpyTests
{
    private static string RunNumpy(string script)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"python failed: {error}");
        return output;
    }

    [TestMethod]
    public void ReadsWhatNumpySaves_Float32AndFloat64()
    {
        string dir = Directory.CreateTempSubdirectory("npy").FullName;
        RunNumpy($$"""
            import numpy as np
            x = (np.arange(2*3*5, dtype=np.float32).reshape(2, 3, 5) - 7.5) / 3
            np.save(r'{{dir}}/f4.npy', x)
            np.save(r'{{dir}}/f8.npy', np.array([1.5, -2.25, 1e-3], dtype=np.float64))
            np.save(r'{{dir}}/vec.npy', np.array([4.0], dtype=np.float32))
            """);
        var f4 = Npy.Read(Path.Combine(dir, "f4.npy"));
        CollectionAssert.AreEqual(new[] { 2, 3, 5 }, f4.Shape.ToArray());
        for (int i = 0; i < f4.Length; i++) Assert.AreEqual((i - 7.5f) / 3, f4[i], 1e-6f);
        var f8 = Npy.Read(Path.Combine(dir, "f8.npy"));
        CollectionAssert.AreEqual(new[] { 1.5f, -2.25f, 1e-3f }, f8.Span.ToArray());
        var vec = Npy.Read(Path.Combine(dir, "vec.npy"));
        CollectionAssert.AreEqual(new[] { 1 }, vec.Shape.ToArray());
    }

    [TestMethod]
    public void NumpyLoadsWhatWeWrite()
    {
        string dir = Directory.CreateTempSubdirectory("npy").FullName;
        var t = new Tensor(Enumerable.Range(0, 24).Select(i => i * 0.25f - 1).ToArray(), 2, 3, 4);
        Npy.Write(Path.Combine(dir, "ours.npy"), t);
        string output = RunNumpy($$"""
            import numpy as np
            x = np.load(r'{{dir}}/ours.npy')
            expected = (np.arange(24, dtype=np.float32) * 0.25 - 1).reshape(2, 3, 4)
            print(x.dtype, x.shape, bool(np.array_equal(x, expected)))
            """);
        Assert.AreEqual("float32 (2, 3, 4) True", output.Trim());
        Assert.AreEqual(0, Directory.GetFiles(dir, "*.tmp-*").Length, "no temporary file is left behind");
    }

    [TestMethod]
    public void TruncatedAndForeignFilesGiveErrorsNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("npy").FullName;
        string path = Path.Combine(dir, "cut.npy");
        using (var stream = File.Create(path)) Npy.Write(stream, new Tensor(4, 4));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^10]);
        var ex = Assert.ThrowsException<InvalidDataException>(() => Npy.Read(path));
        StringAssert.Contains(ex.Message, "cut.npy");
        StringAssert.Contains(ex.Message, "truncated");

        string text = Path.Combine(dir, "text.npy");
        File.WriteAllText(text, "hello, not numpy");
        ex = Assert.ThrowsException<InvalidDataException>(() => Npy.Read(text));
        StringAssert.Contains(ex.Message, "text.npy");
    }
}
