using System.Text;

namespace MLNet.Nets.Data;

/// <summary>The first rows of a view as plain values (see <see cref="DataViewExtensions.Preview"/>); prints as a table.</summary>
public sealed class DataPreview
{
    internal DataPreview(DataViewSchema schema, IReadOnlyList<object?[]> rows)
    {
        Schema = schema;
        RowValues = rows;
    }

    /// <summary>The view's schema.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The rows: one value per column (an array for vector columns).</summary>
    public IReadOnlyList<object?[]> RowValues { get; }

    /// <summary>The values of one column across the previewed rows.</summary>
    public IReadOnlyList<object?> ColumnValues(string name)
    {
        int c = Schema[name].Index;
        return RowValues.Select(r => r[c]).ToArray();
    }

    /// <summary>A tab-separated table with a header; vectors print their first items.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendJoin('\t', Schema.Select(c => c.Name)).AppendLine();
        foreach (var row in RowValues)
        {
            sb.AppendJoin('\t', row.Select(Format)).AppendLine();
        }
        return sb.ToString();
    }

    private static string Format(object? value)
    {
        if (value is Array a)
        {
            var items = a.Cast<object?>().Take(8).Select(DataViewExtensions.FormatItem);
            return "[" + string.Join(", ", items) + (a.Length > 8 ? $", … ({a.Length})" : "") + "]";
        }
        return DataViewExtensions.FormatItem(value);
    }
}
