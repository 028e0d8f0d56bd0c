using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace MLNet.Nets.Tests.Vision.Weights;

/// <summary>Runs the python peer (/usr/bin/python3 with torch and torchvision) for the weight-import tests.</summary>
internal static class WeightsPython
{
    /// <summary>The path of a script that sits next to this source file.</summary>
    public static string ScriptPath(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, name);

    /// <summary>
    /// The folder of files a generator script writes (its only argument besides <paramref name="args"/> is the folder).
    /// Generated once per script content and arguments under the temp folder and reused by later test classes and
    /// runs, since torch and torchvision take seconds to start; made in a scratch folder and renamed into place.
    /// </summary>
    public static string GeneratedFiles(string scriptName, params string[] args) => GeneratedFilesOf(ScriptPath(scriptName), args);

    /// <summary>
    /// <see cref="GeneratedFiles"/> for a generator script anywhere (give its full path, e.g. one next to another test
    /// folder's source file); cached under the temp folder by script content and arguments in the same way.
    /// </summary>
    public static string GeneratedFilesOf(string script, params string[] args)
    {
        string scriptName = Path.GetFileName(script);
        string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(script) + "|" + string.Join("|", args))))[..12];
        string root = Path.Combine(Path.GetTempPath(), "mlnet-nets-test-data");
        string final = Path.Combine(root, $"{Path.GetFileNameWithoutExtension(scriptName)}-{key}");
        if (File.Exists(Path.Combine(final, ".complete"))) return final;
        Directory.CreateDirectory(root);
        string scratch = Path.Combine(root, $".{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            RunScript(script, [scratch, .. args]);
            File.WriteAllText(Path.Combine(scratch, ".complete"), key);
            if (Directory.Exists(final)) Directory.Delete(final, true);
            Directory.Move(scratch, final);
            // Files from earlier versions of the script are stale.
            foreach (string old in Directory.GetDirectories(root, $"{Path.GetFileNameWithoutExtension(scriptName)}-*"))
            {
                if (old != final) Directory.Delete(old, true);
            }
        }
        catch (IOException) when (File.Exists(Path.Combine(final, ".complete")))
        {
            // Another test process generated it at the same time.
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, true);
        }
        return final;
    }

    /// <summary>Runs a script file with arguments; fails the test with python's stderr when it exits non-zero.</summary>
    public static string RunScript(string script, params string[] args)
    {
        Assert.IsTrue(File.Exists(script), $"python script {script} not found");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
        info.Environment["OMP_NUM_THREADS"] = "2";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"python {Path.GetFileName(script)} exited with {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }
}
