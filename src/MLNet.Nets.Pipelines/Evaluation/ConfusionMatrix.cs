using System.Globalization;
using System.Text;

namespace MLNet.Nets.Evaluation;

/// <summary>
/// Counts of actual (rows) against predicted (columns) classes, with per-class precision, recall and F1 — F1 is not in
/// ML.NET's matrix; it is here because it is what users ask next.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly double[][] _counts;

    /// <summary>A matrix of <paramref name="counts"/>[actual][predicted] with optional class names.</summary>
    public ConfusionMatrix(double[][] counts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.Length;
        if (k == 0 || counts.Any(r => r is null || r.Length != k)) throw new ArgumentException("The counts must be a non-empty square matrix.");
        if (classNames is not null && classNames.Count != k) throw new ArgumentException($"There are {k} classes but {classNames.Count} names.");
        _counts = counts.Select(r => (double[])r.Clone()).ToArray();
        ClassNames = classNames?.ToArray();
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        for (int c = 0; c < k; c++)
        {
            double tp = _counts[c][c], actual = _counts[c].Sum(), predicted = 0;
            for (int r = 0; r < k; r++) predicted += _counts[r][c];
            precision[c] = predicted == 0 ? 0 : tp / predicted;
            recall[c] = actual == 0 ? 0 : tp / actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        PerClassPrecision = precision;
        PerClassRecall = recall;
        PerClassF1Score = f1;
    }

    /// <summary>Number of classes.</summary>
    public int NumberOfClasses => _counts.Length;

    /// <summary>Counts[actual][predicted].</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts => _counts;

    /// <summary>The class names, or null.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Per class: correct predictions of it / all predictions of it (0 when it is never predicted).</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Per class: correct predictions of it / its rows (0 when it has no rows).</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>Per class: harmonic mean of precision and recall (0 when both are 0).</summary>
    public IReadOnlyList<double> PerClassF1Score { get; }

    /// <summary>The count of rows of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public double GetCountForClassPair(int predicted, int actual) => _counts[actual][predicted];

    /// <summary>An aligned text table: one row per actual class, one column per predicted class, then recall, precision and F1.</summary>
    public string GetFormattedConfusionTable()
    {
        int k = NumberOfClasses;
        var names = Enumerable.Range(0, k).Select(c => ClassNames?[c] ?? c.ToString(CultureInfo.InvariantCulture)).ToArray();
        var counts = _counts.Select(r => r.Select(v => v.ToString("0", CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int nameWidth = Math.Max("Recall".Length, Math.Max("PREDICTED".Length, names.Max(n => n.Length)));
        int cell = Math.Max(6, Math.Max(names.Max(n => n.Length), counts.SelectMany(r => r).Max(s => s.Length)));
        var sb = new StringBuilder();
        sb.AppendLine("Confusion table");
        string rule = new('=', nameWidth + 3 + (k + 1) * (cell + 3));
        sb.AppendLine(rule);
        sb.Append("PREDICTED".PadRight(nameWidth)).Append(" ||");
        foreach (var n in names) sb.Append(' ').Append(n.PadLeft(cell)).Append(" |");
        sb.Append(' ').Append("Recall".PadLeft(cell)).AppendLine();
        sb.AppendLine("TRUTH".PadRight(nameWidth) + " ||" + string.Concat(Enumerable.Repeat(new string('=', cell + 2) + "|", k)) + new string('=', cell + 1));
        for (int r = 0; r < k; r++)
        {
            sb.Append(names[r].PadRight(nameWidth)).Append(" ||");
            foreach (var c in counts[r]) sb.Append(' ').Append(c.PadLeft(cell)).Append(" |");
            sb.Append(' ').Append(PerClassRecall[r].ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(cell)).AppendLine();
        }
        sb.AppendLine(rule);
        sb.Append("Precision".PadRight(nameWidth)).Append(" ||");
        foreach (var p in PerClassPrecision) sb.Append(' ').Append(p.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(cell)).Append(" |");
        sb.AppendLine();
        sb.Append("F1".PadRight(nameWidth)).Append(" ||");
        foreach (var f in PerClassF1Score) sb.Append(' ').Append(f.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(cell)).Append(" |");
        sb.AppendLine();
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => GetFormattedConfusionTable();
}
