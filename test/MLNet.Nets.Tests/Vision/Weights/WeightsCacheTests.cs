using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Weights;

[TestClass]
public sealed class WeightsCacheTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("weights-cache-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_dir, true);

    private static byte[] Payload(out Tensor weight)
    {
        weight = Tensor.RandomNormal(new Random(3), 0f, 1f, 64, 1000);   // 256 000 bytes of data
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new("fc.weight", weight)]);
        return stream.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Serves fixed bytes on 127.0.0.1 in small chunks and counts the requests.</summary>
    private sealed class LocalServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private readonly Dictionary<string, byte[]> _files;

        public LocalServer(Dictionary<string, byte[]> files)
        {
            _files = files;
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(Serve);
        }

        public int Port { get; }

        public int Requests;

        public Uri UrlOf(string name) => new($"http://127.0.0.1:{Port}/models/{name}");

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                Interlocked.Increment(ref Requests);
                string name = context.Request.Url!.AbsolutePath.Replace("/models/", "");
                try
                {
                    if (_files.TryGetValue(name, out var bytes))
                    {
                        context.Response.ContentLength64 = bytes.Length;
                        for (int i = 0; i < bytes.Length; i += 8192)
                        {
                            await context.Response.OutputStream.WriteAsync(bytes.AsMemory(i, Math.Min(8192, bytes.Length - i)));
                        }
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }
                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    // The client went away (a cancelled download).
                }
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(Action<long>? onReport = null) : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value)
        {
            lock (Values) Values.Add(value);
            onReport?.Invoke(value);
        }
    }

    private string[] LeftoverFiles() => Directory.GetFiles(_dir);

    [TestMethod]
    public void Download_ReportsProgress_VerifiesFullHash_AndIsCachedAfterwards()
    {
        byte[] payload = Payload(out var weight);
        using var server = new LocalServer(new() { ["tiny-12345678.safetensors"] = payload });
        var file = new KnownWeightsFile("tiny", "dense", "tiny-12345678.safetensors", server.UrlOf("tiny-12345678.safetensors"), Sha256(payload));
        var cache = new WeightsCache(_dir);
        var progress = new Recorder();

        string path = cache.Get(file, progress);

        Assert.AreEqual(Path.Combine(_dir, "tiny-12345678.safetensors"), path);
        CollectionAssert.AreEqual(payload, File.ReadAllBytes(path));
        Assert.AreEqual(payload.Length, progress.Values[^1], "final progress is the byte count");
        Assert.IsTrue(progress.Values.Count > 1, "progress is reported while downloading");
        for (int i = 1; i < progress.Values.Count; i++) Assert.IsTrue(progress.Values[i] > progress.Values[i - 1]);
        CollectionAssert.AreEqual(new[] { path }, LeftoverFiles(), "no temporary file remains");

        // Second use: verified from disk, no request.
        var weights = PretrainedWeights.FromCache(file, cache);
        Assert.AreEqual(1, server.Requests);
        Assert.AreEqual(WeightsFormat.SafeTensors, weights.Format);
        Assert.AreSame(file, weights.Known);
        CollectionAssert.AreEqual(weight.Span.ToArray(), weights.Load()["fc.weight"].Span.ToArray());
    }

    [TestMethod]
    public void Download_WithOnlyTheHashPrefix_VerifiesThePrefix()
    {
        byte[] payload = Payload(out _);
        string prefix = Sha256(payload)[..8];
        string name = $"tiny-{prefix}.safetensors";
        using var server = new LocalServer(new() { [name] = payload, ["wrong-00000000.safetensors"] = payload });
        var cache = new WeightsCache(_dir);
        var good = new KnownWeightsFile("tiny", "dense", name, server.UrlOf(name), prefix);
        Assert.IsNull(good.Sha256);
        Assert.IsTrue(File.Exists(cache.Get(good)));

        var bad = new KnownWeightsFile("wrong", "dense", "wrong-00000000.safetensors", server.UrlOf("wrong-00000000.safetensors"), "00000000");
        var e = Assert.ThrowsException<InvalidDataException>(() => cache.Get(bad));
        StringAssert.Contains(e.Message, "does not match the expected 00000000");
        Assert.IsFalse(File.Exists(cache.PathFor(bad)), "a file failing verification is not kept");
        Assert.AreEqual(1, LeftoverFiles().Length, "only the good file remains");
    }

    [TestMethod]
    public void Download_HashMismatch_LeavesNothingBehind_AndKeepsAnEarlierFile()
    {
        byte[] payload = Payload(out _);
        using var server = new LocalServer(new() { ["m.safetensors"] = payload });
        var cache = new WeightsCache(_dir);
        string wrongHash = new('a', 64);
        var file = new KnownWeightsFile("m", "dense", "m.safetensors", server.UrlOf("m.safetensors"), wrongHash);
        var e = Assert.ThrowsException<InvalidDataException>(() => cache.Get(file));
        StringAssert.Contains(e.Message, Sha256(payload));
        StringAssert.Contains(e.Message, "discarded");
        Assert.AreEqual(0, LeftoverFiles().Length);
    }

    [TestMethod]
    public void CorruptCachedFile_IsReplacedByDownload_OrReportedWhenOffline()
    {
        byte[] payload = Payload(out _);
        using var server = new LocalServer(new() { ["m.safetensors"] = payload });
        var file = new KnownWeightsFile("m", "dense", "m.safetensors", server.UrlOf("m.safetensors"), Sha256(payload));
        File.WriteAllBytes(Path.Combine(_dir, "m.safetensors"), [1, 2, 3]);

        var e = Assert.ThrowsException<InvalidDataException>(() => new WeightsCache(_dir, allowDownload: false).Get(file));
        StringAssert.Contains(e.Message, "does not match");

        new WeightsCache(_dir).Get(file);
        CollectionAssert.AreEqual(payload, File.ReadAllBytes(Path.Combine(_dir, "m.safetensors")));
    }

    [TestMethod]
    public void Offline_ErrorNamesTheFileAndTheFolder()
    {
        // Nothing listens on this port: the connection is refused, as it is without a network.
        var file = KnownWeights.Find("mobilenet_v2") with { };
        var offline = new KnownWeightsFile(file.Name, file.Architecture, file.FileName, new Uri($"http://127.0.0.1:{FreePort()}/models/{file.FileName}"), file.Sha256Prefix);
        var e = Assert.ThrowsException<FileNotFoundException>(() => PretrainedWeights.FromCache(offline, new WeightsCache(_dir)));
        StringAssert.Contains(e.Message, "mobilenet_v2-b0353104.pth");
        StringAssert.Contains(e.Message, _dir);
        StringAssert.Contains(e.Message, WeightsCache.EnvironmentVariable);
        Assert.AreEqual(Path.Combine(_dir, "mobilenet_v2-b0353104.pth"), e.FileName);
        Assert.AreEqual(0, LeftoverFiles().Length);

        e = Assert.ThrowsException<FileNotFoundException>(() => PretrainedWeights.FromCache("mobilenet_v2", new WeightsCache(_dir, allowDownload: false)));
        StringAssert.Contains(e.Message, "https://download.pytorch.org/models/mobilenet_v2-b0353104.pth");
        StringAssert.Contains(e.Message, _dir);
    }

    [TestMethod]
    public void ServerError_IsReportedWithTheStatus()
    {
        using var server = new LocalServer([]);
        var file = new KnownWeightsFile("m", "dense", "missing.pth", server.UrlOf("missing.pth"), "12345678");
        var e = Assert.ThrowsException<FileNotFoundException>(() => new WeightsCache(_dir).Get(file));
        StringAssert.Contains(e.Message, "404");
        Assert.AreEqual(0, LeftoverFiles().Length);
    }

    [TestMethod]
    public void Cancellation_StopsTheDownload_AndRemovesThePartialFile()
    {
        byte[] payload = Payload(out _);
        using var server = new LocalServer(new() { ["m.safetensors"] = payload });
        var file = new KnownWeightsFile("m", "dense", "m.safetensors", server.UrlOf("m.safetensors"), Sha256(payload));
        using var cts = new CancellationTokenSource();
        var progress = new Recorder(bytes => { if (bytes > 20_000) cts.Cancel(); });
        try
        {
            new WeightsCache(_dir).Get(file, progress, cts.Token);
            Assert.Fail("the download was not cancelled");
        }
        catch (OperationCanceledException)
        {
        }
        Assert.AreEqual(0, LeftoverFiles().Length);
    }

    [TestMethod]
    public void DefaultDirectory_FollowsTheEnvironmentVariable()
    {
        string? before = Environment.GetEnvironmentVariable(WeightsCache.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(WeightsCache.EnvironmentVariable, _dir);
            Assert.AreEqual(_dir, WeightsCache.DefaultDirectory);
            Assert.AreEqual(_dir, new WeightsCache().Directory);
            Environment.SetEnvironmentVariable(WeightsCache.EnvironmentVariable, null);
            StringAssert.EndsWith(WeightsCache.DefaultDirectory, Path.Combine("mlnet-nets", "weights"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(WeightsCache.EnvironmentVariable, before);
        }
    }

    [TestMethod]
    public void Registry_FileNamesCarryTheirHashPrefix_AndLookupWorks()
    {
        foreach (var file in KnownWeights.All)
        {
            string stem = Path.GetFileNameWithoutExtension(file.FileName);
            string prefix = stem[(stem.LastIndexOf('-') + 1)..];
            Assert.AreEqual(8, prefix.Length, file.FileName);
            StringAssert.StartsWith(file.Sha256Prefix, prefix, file.FileName);
            Assert.AreEqual(new Uri("https://download.pytorch.org/models/" + file.FileName), file.Url);
        }
        Assert.AreEqual("mobilenet_v2-b0353104.pth", KnownWeights.Find("MobileNet_V2").FileName);
        Assert.AreEqual("mobilenet_v2", KnownWeights.Find("mobilenet_v2-b0353104.pth").Name);
        Assert.AreEqual(299, KnownWeights.Find("inception_v3").InputSize);
        var e = Assert.ThrowsException<KeyNotFoundException>(() => KnownWeights.Find("alexnet"));
        StringAssert.Contains(e.Message, "mobilenet_v3_large");
    }

    [TestMethod]
    public void FromFile_DetectsFormatsByContent()
    {
        byte[] payload = Payload(out var weight);
        string st = Path.Combine(_dir, "w.bin");
        File.WriteAllBytes(st, payload);
        var fromSafeTensors = PretrainedWeights.FromFile(st);
        Assert.AreEqual(WeightsFormat.SafeTensors, fromSafeTensors.Format);
        CollectionAssert.AreEqual(weight.Span.ToArray(), fromSafeTensors.Load()["fc.weight"].Span.ToArray());

        Assert.IsNull(fromSafeTensors.Known);
        string named = Path.Combine(_dir, "resnet18-f37072fd.pth");
        File.Copy(st, named);
        var known = PretrainedWeights.FromFile(named);
        Assert.AreEqual("resnet18", known.Known!.Architecture);
        Assert.AreEqual(WeightsFormat.SafeTensors, known.Format, "content decides over the extension");

        string text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "hello");
        StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => PretrainedWeights.FromFile(text)).Message, ".safetensors");
        Assert.ThrowsException<FileNotFoundException>(() => PretrainedWeights.FromFile(Path.Combine(_dir, "absent.pth")));
    }
}
