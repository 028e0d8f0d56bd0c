using System.Diagnostics;
using System.Runtime.CompilerServices;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Interop.Onnx;

/// <summary>
/// Runs ONNX files in ONNX Runtime through Node (onnxruntime-node, installed once with npm into a cache folder under the
/// temp folder, outside the repository) and ort-run.js next to this file. A missing node/npm or a failed install fails
/// the test: the comparison with ONNX Runtime is the point of these tests.
/// </summary>
internal static class OrtPeer
{
    private static readonly object Gate = new();
    private static string? _modules;

    /// <summary>Runs <paramref name="model"/> on <paramref name="input"/> and returns its first output.</summary>
    public static Tensor Run(string model, Tensor input, [CallerFilePath] string here = "")
    {
        string modules = EnsureInstalled();
        string script = Path.Combine(Path.GetDirectoryName(here)!, "ort-run.js");
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-nets-test-data", "ort-io", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string x = Path.Combine(dir, "x.npy"), y = Path.Combine(dir, "y.npy");
            Npy.Write(x, input);
            var (code, _, stderr) = Exec("node", [script, model, x, y], modules);
            if (code != 0) Assert.Fail($"ONNX Runtime failed on {Path.GetFileName(model)}: {stderr}");
            return Npy.Read(y);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string EnsureInstalled()
    {
        lock (Gate)
        {
            if (_modules is not null) return _modules;
            string root = Path.Combine(Path.GetTempPath(), "mlnet-nets-test-data", "ort");
            string modules = Path.Combine(root, "node_modules");
            if (!File.Exists(Path.Combine(modules, "onnxruntime-node", "package.json")))
            {
                Directory.CreateDirectory(root);
                var (code, stdout, stderr) = Exec("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", root, "onnxruntime-node"], null);
                if (code != 0) Assert.Fail($"npm install --ignore-scripts onnxruntime-node failed ({code}): {stderr}{stdout}");
            }
            return _modules = modules;
        }
    }

    private static (int Code, string Stdout, string Stderr) Exec(string program, string[] args, string? nodePath)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (nodePath is not null) info.Environment["NODE_PATH"] = nodePath;
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"'{program}' could not be started ({e.Message}); build/setup.sh installs nodejs and npm.");
            throw;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
    }
}
