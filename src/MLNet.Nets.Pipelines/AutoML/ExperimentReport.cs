using System.Globalization;
using System.Text;
using MLNet.Nets.Serialization;

namespace MLNet.Nets.AutoML;

/// <summary>Writes an experiment's trials.csv and progress.svg (metric vs time, best so far), each atomically.</summary>
internal static class ExperimentReport
{
    public static void Write(string folder, string metric, bool higherIsBetter, IReadOnlyList<TrialResult> trials)
    {
        Directory.CreateDirectory(folder);
        var ci = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("trial,seconds,elapsed,metric,folds,settings,peakMemoryMB,error\n");
        foreach (var t in trials)
        {
            csv.Append(ci, $"{t.Index},{t.Duration.TotalSeconds:F3},{t.ElapsedAtEnd.TotalSeconds:F3},{(double.IsNaN(t.Metric) ? "" : t.Metric.ToString("R", ci))},")
               .Append('"').Append(string.Join(";", t.FoldMetrics.Select(m => m.ToString("R", ci)))).Append("\",")
               .Append('"').Append(t.Settings.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",")
               .Append(ci, $"{t.PeakMemoryBytes / (1 << 20)},")
               .Append('"').Append((t.Error ?? "").Replace("\"", "\"\"", StringComparison.Ordinal).ReplaceLineEndings(" ")).AppendLine("\"");
        }
        AtomicFile.Write(Path.Combine(folder, "trials.csv"), stream => stream.Write(Encoding.UTF8.GetBytes(csv.ToString())));
        AtomicFile.Write(Path.Combine(folder, "progress.svg"), stream => stream.Write(Encoding.UTF8.GetBytes(Svg(metric, higherIsBetter, trials))));
    }

    private static string Svg(string metric, bool higherIsBetter, IReadOnlyList<TrialResult> trials)
    {
        var ok = trials.Where(t => t.Succeeded).ToList();
        const int width = 640, height = 400, left = 70, right = 20, top = 30, bottom = 50;
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(ci, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\">{metric} per trial (dots) and best so far (line)</text>\n");
        sb.Append(ci, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"black\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"black\"/>\n");
        sb.Append(ci, $"<text x=\"{width / 2}\" y=\"{height - 12}\" text-anchor=\"middle\">seconds</text>\n");
        if (ok.Count > 0)
        {
            double tMax = Math.Max(1e-3, trials.Max(t => t.ElapsedAtEnd.TotalSeconds));
            double lo = ok.Min(t => t.Metric), hi = ok.Max(t => t.Metric);
            if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
            double X(double s) => left + s / tMax * (width - left - right);
            double Y(double m) => height - bottom - (m - lo) / (hi - lo) * (height - top - bottom);
            sb.Append(ci, $"<text x=\"{left - 5}\" y=\"{Y(hi) + 4:F1}\" text-anchor=\"end\">{hi:G4}</text><text x=\"{left - 5}\" y=\"{Y(lo) + 4:F1}\" text-anchor=\"end\">{lo:G4}</text>\n");
            sb.Append(ci, $"<text x=\"{X(tMax):F1}\" y=\"{height - bottom + 15}\" text-anchor=\"end\">{tMax:F1}</text>\n");
            foreach (var t in ok) sb.Append(ci, $"<circle cx=\"{X(t.ElapsedAtEnd.TotalSeconds):F1}\" cy=\"{Y(t.Metric):F1}\" r=\"3\" fill=\"steelblue\"><title>{System.Security.SecurityElement.Escape(t.Settings)}</title></circle>\n");
            var points = new StringBuilder();
            double best = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
            foreach (var t in ok)
            {
                double previous = best;
                best = higherIsBetter ? Math.Max(best, t.Metric) : Math.Min(best, t.Metric);
                double x = X(t.ElapsedAtEnd.TotalSeconds);
                if (points.Length > 0) points.Append(ci, $"{x:F1},{Y(previous):F1} ");
                points.Append(ci, $"{x:F1},{Y(best):F1} ");
            }
            sb.Append(ci, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"darkorange\" stroke-width=\"2\"/>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
