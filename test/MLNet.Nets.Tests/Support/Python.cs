using System.Diagnostics;

namespace MLNet.Nets.Tests.Support;

/// <summary>Runs a script with Debian's /usr/bin/python3 (numpy, scikit-learn, torch) as the reference peer; stdin in, stdout out.</summary>
internal static class Python
{
    public static string Run(string script, string stdin = "", bool torch = false)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add((torch ? "import torch; torch.set_num_threads(2)\n" : "") + script);
        info.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
        info.Environment["OMP_NUM_THREADS"] = "2";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"python exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
