using System.Diagnostics;

namespace MLNet.Nets.Tests.Cli;

/// <summary>Runs the nets tool (built next to the tests) in its own process.</summary>
internal static class NetsTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "nets.dll");
        if (!File.Exists(dll)) Assert.Fail($"The nets tool was not built next to the tests ({dll}).");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nets-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
