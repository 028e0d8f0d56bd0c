using MLNet.Nets.Datasets;

namespace MLNet.Nets.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "demo")
        {
            Console.Error.WriteLine("usage: nets demo");
            return 2;
        }
        string root = DataDirectory.Resolve();
        Console.WriteLine($"MLNet.Nets demo: data folder {root}");
        return 0;
    }
}
