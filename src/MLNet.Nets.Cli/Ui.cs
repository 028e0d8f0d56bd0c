using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace MLNet.Nets.Cli;

/// <summary>Console output: results on stdout (or one JSON object with --json), progress and notes on stderr.</summary>
internal static class Ui
{
    /// <summary>Progress bars and notes go to stderr so that stdout carries only results.</summary>
    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = 200;
        return console;
    }

    public static string F(double value, string format = "F4") => value.ToString(format, CultureInfo.InvariantCulture);

    public static void WriteJson(object value) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    /// <summary>Runs <paramref name="work"/> with a progress bar on stderr; <paramref name="work"/> reports a fraction in [0, 1] and a status.</summary>
    public static T WithProgress<T>(string title, Func<Action<double, string>, T> work)
    {
        T result = default!;
        Error.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                result = work((fraction, status) =>
                {
                    task.Value = Math.Clamp(fraction, 0, 1);
                    task.Description = Markup.Escape($"{title} {status}");
                });
                task.Value = 1.0;
            });
        return result;
    }
}
