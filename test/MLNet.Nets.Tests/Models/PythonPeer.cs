namespace MLNet.Nets.Tests.Models;

/// <summary>Runs a script with the system python and torch loaded (two threads) as the reference peer.</summary>
internal static class PythonPeer
{
    public static string Run(string script, string stdin = "") => Support.Python.Run(script, stdin, torch: true);
}
