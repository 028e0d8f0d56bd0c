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
            string cache = Path.Combine(Path.GetTempPath(), "mlnet-nets-test-data");
            string root = Path.Combine(cache, "ort");
            if (!File.Exists(Path.Combine(root, ".complete")))
            {
                // Installed into a scratch folder and renamed into place, so that a test run started at the same time
                // (another worktree, CI) never sees a half-installed package.
                string scratch = Path.Combine(cache, $".ort-{Guid.NewGuid():N}");
                Directory.CreateDirectory(scratch);
                try
                {
                    var (code, stdout, stderr) = Exec("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", scratch, "onnxruntime-node"], null);
                    if (code != 0) Assert.Fail($"npm install --ignore-scripts onnxruntime-node failed ({code}): {stderr}{stdout}");
                    File.WriteAllText(Path.Combine(scratch, ".complete"), "onnxruntime-node");
                    if (Directory.Exists(root) && !File.Exists(Path.Combine(root, ".complete"))) Directory.Delete(root, true);
                    Directory.Move(scratch, root);
                }
                catch (IOException) when (File.Exists(Path.Combine(root, ".complete")))
                {
                    // Another test run installed it at the same time.
                }
                finally
                {
                    if (Directory.Exists(scratch)) Directory.Delete(scratch, true);
                }
            }
            return _modules = Path.Combine(root, "node_modules");
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
