using System.CommandLine;
using MLNet.Nets.Cli.Commands;
using MLNet.Nets.Training;

namespace MLNet.Nets.Cli;

/// <summary>The <c>nets</c> command-line tool.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var root = new RootCommand("nets — neural networks for .NET: train, evaluate and predict with BP networks and CNNs, run the model zoo.")
        {
            DemoCommand.Create(() => cancel.Token),
            TrainCommand.Create(() => cancel.Token),
            EvaluateCommand.CreateEvaluate(),
            EvaluateCommand.CreatePredict(),
            ZooCommand.Create(),
            AutoMlCommand.Create(() => cancel.Token),
            ExportCommand.Create(),
        };
        try
        {
            var parse = root.Parse(args);
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("nets: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or FormatException
                                   or TrainingDivergedException or MLNet.Nets.Vision.Weights.UnsafePickleException or InvalidOperationException or NotSupportedException)
        {
            Console.Error.WriteLine($"nets: {OneLine(e.Message)}");
            return 1;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
