using System.CommandLine;
using System.Globalization;

namespace MLNet.Nets.Cli.Commands;

/// <summary>Options shared by several commands, and parsing helpers with one-line errors.</summary>
internal static class CommonOptions
{
    public static Option<string> Data(string description = "The data file: CSV/TSV with a header row.") =>
        new("--data") { Description = description, Required = true };

    public static Option<string> Model(bool output) =>
        new("--model") { Description = output ? "Where to write the model (.zip); written only when training succeeds." : "The model file (.zip) written by nets train.", Required = true };

    public static Option<string?> Separator() =>
        new("--separator") { Description = "The field separator (',', ';', 'tab', '|', 'space'); detected from the header when omitted." };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as one JSON object on stdout." };

    public static Option<int> Seed() => new("--seed") { Description = "Seed of the split, the initial weights and the shuffling.", DefaultValueFactory = _ => 0 };

    public static char? ParseSeparator(string? text) => text switch
    {
        null or "" => null,
        "tab" or "\\t" => '\t',
        "space" or " " => ' ',
        "comma" => ',',
        "semicolon" => ';',
        _ when text.Length == 1 => text[0],
        _ => throw new ArgumentException($"--separator must be one character (or tab/space/comma/semicolon), not '{text}'."),
    };

    public static int[] ParseHidden(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw new ArgumentException($"--hidden must list layer sizes ≥ 1 such as 10 or 20,10, not '{text}'.");
            }
        }
        return sizes;
    }
}
