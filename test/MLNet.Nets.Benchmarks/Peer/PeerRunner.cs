using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Benchmarks.Peer;

/// <summary>
/// The "peer" mode: <c>dotnet MLNet.Nets.Benchmarks.dll peer [regex] [--min-time seconds]</c> runs every discovered
/// case whose name matches and prints <c>case gflops</c> (median over repetitions) per line on stdout.
/// </summary>
internal static class PeerRunner
{
    public static int Run(string[] args)
    {
        string filter = "";
        double minTime = 0.5;
        bool list = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--min-time" && i + 1 < args.Length) minTime = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--list") list = true;
            else if (args[i] == "--threads" && i + 1 < args.Length) ParallelKernels.DegreeOfParallelism = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--kc" && i + 1 < args.Length) GemmDriver.KcTarget = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--mc" && i + 1 < args.Length) GemmDriver.McTarget = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else filter = args[i];
        }
        var regex = new Regex(filter);
        var cases = Discover().Where(c => regex.IsMatch(c.Name)).ToList();
        if (list)
        {
            foreach (var c in cases) Console.WriteLine(c.Name);
            return 0;
        }
        Console.Error.WriteLine($"# ours: .NET {Environment.Version}, gemm path {Gemm.Path}, threads {ParallelKernels.DegreeOfParallelism}");
        foreach (var c in cases)
        {
            c.Setup();
            double seconds = Measure(c, minTime);
            Console.WriteLine($"{c.Name} {c.Flops / seconds / 1e9:F2}");
            Console.Out.Flush();
        }
        return 0;
    }

    /// <summary>Median seconds per run after a warm-up, over at least 5 runs and <paramref name="minTime"/> seconds.</summary>
    private static double Measure(IPeerCase c, double minTime)
    {
        var warm = Stopwatch.StartNew();
        int warmRuns = 0;
        while (warmRuns < 3 || warm.Elapsed.TotalSeconds < minTime / 3) { c.Run(); warmRuns++; }
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || total.Elapsed.TotalSeconds < minTime)
        {
            long t0 = Stopwatch.GetTimestamp();
            c.Run();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Every case in this assembly: <see cref="IPeerCase"/> classes and <see cref="IPeerCaseFamily"/> members, by type name.</summary>
    public static IEnumerable<IPeerCase> Discover()
    {
        var types = typeof(PeerRunner).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var t in types)
        {
            if (typeof(IPeerCaseFamily).IsAssignableFrom(t))
            {
                foreach (var c in ((IPeerCaseFamily)Activator.CreateInstance(t)!).Cases) yield return c;
            }
            else if (typeof(IPeerCase).IsAssignableFrom(t))
            {
                yield return (IPeerCase)Activator.CreateInstance(t)!;
            }
        }
    }
}
