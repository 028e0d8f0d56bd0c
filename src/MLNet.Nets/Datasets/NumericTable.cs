using System.Globalization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Datasets;

/// <summary>
/// A delimited text file of numbers with a header row, split into a feature matrix and a label column
/// (for example the housing data: tab-separated, label <c>MedianHomeValue</c> first).
/// </summary>
/// <param name="Features">The feature values, [rows, features], in file order without the label column.</param>
/// <param name="Labels">The label values, [rows, 1].</param>
/// <param name="FeatureNames">The header names of the feature columns.</param>
/// <param name="LabelName">The header name of the label column.</param>
public sealed record NumericTable(Tensor Features, Tensor Labels, IReadOnlyList<string> FeatureNames, string LabelName)
{
    /// <summary>
    /// Reads <paramref name="path"/>. Every error names the file and, where it applies, the line and column.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">The label's header name (case-insensitive); null takes the first column.</param>
    /// <param name="separator">The field separator; null detects tab, comma, semicolon or space from the header.</param>
    /// <exception cref="InvalidDataException">Empty file, unknown label, ragged row or non-numeric field.</exception>
    public static NumericTable Load(string path, string? labelColumn = null, char? separator = null)
    {
        var lines = File.ReadLines(path).Select((text, index) => (text, line: index + 1))
            .Where(l => l.text.Trim().Length > 0).ToList();
        if (lines.Count == 0) throw new InvalidDataException($"{path}: the file is empty.");
        char sep = separator ?? DetectSeparator(lines[0].text);
        string[] header = Split(lines[0].text, sep);
        if (lines.Count == 1) throw new InvalidDataException($"{path}: the file has a header but no data rows.");
        int label = labelColumn is null ? 0 : Array.FindIndex(header, h => string.Equals(h, labelColumn, StringComparison.OrdinalIgnoreCase));
        if (label < 0)
        {
            throw new InvalidDataException($"{path}: there is no label column '{labelColumn}'; the columns are {string.Join(", ", header)}.");
        }
        int rows = lines.Count - 1, features = header.Length - 1;
        var x = new Tensor(rows, features);
        var y = new Tensor(rows, 1);
        var xs = x.Span;
        for (int r = 0; r < rows; r++)
        {
            var (text, line) = lines[r + 1];
            string[] fields = Split(text, sep);
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{path}: line {line} has {fields.Length} fields but the header has {header.Length}.");
            }
            for (int c = 0, f = 0; c < fields.Length; c++)
            {
                if (!float.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                {
                    throw new InvalidDataException($"{path}: line {line}, column {c + 1} ({header[c]}): '{fields[c]}' is not a number.");
                }
                if (c == label) y[r] = v;
                else xs[r * features + f++] = v;
            }
        }
        var names = header.Where((_, i) => i != label).ToArray();
        return new NumericTable(x, y, names, header[label]);
    }

    private static char DetectSeparator(string header)
    {
        foreach (char c in "\t,;") if (header.Contains(c)) return c;
        return ' ';
    }

    private static string[] Split(string line, char sep) =>
        line.Split(sep, sep == ' ' ? StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries : StringSplitOptions.TrimEntries);
}
