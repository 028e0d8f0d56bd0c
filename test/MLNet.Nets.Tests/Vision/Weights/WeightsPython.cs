using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace MLNet.Nets.Tests.Vision.Weights;

/// <summary>Runs the python peer (/usr/bin/python3 with torch and torchvision) for the weight-import tests.</summary>
internal static class WeightsPython
{
    /// <summary>The path of a script that sits next to this source file.</summary>
    public static string ScriptPath(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, name);

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
