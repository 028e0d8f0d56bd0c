using System.Text;
using MLNet.Nets.Data;
using MLNet.Nets.Serialization;

namespace MLNet.Nets.Cli.Commands;

/// <summary>Writes scored rows as CSV: the prediction columns only, numbers in round-trip form (so files compare exactly).</summary>
internal static class Predictions
{
    public static int Write(string path, IDataView scored, IReadOnlyList<string> columns)
    {
        var schema = scored.Schema;
        var indices = columns.Select(c => schema[c].Index).ToArray();
        var header = new List<string>();
        foreach (int c in indices)
        {
            var column = schema[c];
            if (!column.Type.IsVector) { header.Add(column.Name); continue; }
            var slots = column.Annotations.SlotNames;
            for (int s = 0; s < column.Type.Size; s++) header.Add($"{column.Name}.{(slots is not null && s < slots.Count ? slots[s] : s.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }
        int rows = 0;
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.WriteLine(string.Join(',', header.Select(Quote)));
            foreach (var batch in scored.GetBatches(indices))
            {
                for (int r = 0; r < batch.RowCount; r++)
                {
                    var fields = new List<string>();
                    foreach (int c in indices)
                    {
                        var value = DataViewExtensions.ValueAt(batch, c, r);
                        if (value is Array a) fields.AddRange(a.Cast<object?>().Select(DataViewExtensions.FormatItem));
                        else fields.Add(DataViewExtensions.FormatItem(value));
                    }
                    writer.WriteLine(string.Join(',', fields.Select(Quote)));
                    rows++;
                }
            }
        });
        return rows;
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
