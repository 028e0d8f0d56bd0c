using System.Globalization;

namespace MLNet.Nets.Data;

/// <summary>Reading helpers for <see cref="IDataView"/>: whole columns, caching, previews.</summary>
public static class DataViewExtensions
{
    /// <summary>Reads every row into memory once; the returned view serves later reads from memory.</summary>
    public static InMemoryDataView Cache(this IDataView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view is InMemoryDataView memory) return memory;
        var schema = view.Schema;
        var parts = new List<DataBatch>();
        long rows = 0;
        foreach (var batch in view.GetBatches(null, DataBatch.DefaultSize, cancellationToken))
        {
            parts.Add(batch);
            rows += batch.RowCount;
        }
        if (rows > int.MaxValue) throw new InvalidOperationException($"The view has {rows} rows, too many to cache in memory.");
        var columns = new Array[schema.Count];
        for (int c = 0; c < schema.Count; c++)
        {
            int size = schema[c].Type.Size;
            var all = schema[c].Type.CreateArray(checked((int)rows * size));
            long at = 0;
            foreach (var part in parts)
            {
                var a = part.GetArray(c);
                Array.Copy(a, 0, all, at, a.Length);
                at += a.Length;
            }
            columns[c] = all;
        }
        return new InMemoryDataView(schema, columns, (int)rows);
    }

    /// <summary>All values of the column <paramref name="name"/> (rows × size items of type <typeparamref name="T"/>).</summary>
    /// <exception cref="InvalidOperationException">The column's raw type is not <typeparamref name="T"/>.</exception>
    public static T[] GetColumn<T>(this IDataView view, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        var column = view.Schema[name];
        if (column.Type.RawType != typeof(T))
        {
            throw new InvalidOperationException($"Column '{name}' holds {column.Type}; read it as {column.Type.RawType.Name}, not {typeof(T).Name}.");
        }
        var list = new List<T>();
        foreach (var batch in view.GetBatches([column.Index], DataBatch.DefaultSize, cancellationToken)) list.AddRange(batch.GetValues<T>(column.Index));
        return list.ToArray();
    }

    /// <summary>Counts the rows, reading the view when the count is not known.</summary>
    public static long CountRows(this IDataView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.GetRowCount() is long known) return known;
        long rows = 0;
        foreach (var batch in view.GetBatches([], DataBatch.DefaultSize, cancellationToken)) rows += batch.RowCount;
        return rows;
    }

    /// <summary>The first <paramref name="maxRows"/> rows as values, for the debugger and the console.</summary>
    public static DataPreview Preview(this IDataView view, int maxRows = 100)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        var rows = new List<object?[]>();
        if (maxRows > 0)
        {
            foreach (var batch in view.GetBatches(null, Math.Min(maxRows, DataBatch.DefaultSize)))
            {
                for (int r = 0; r < batch.RowCount && rows.Count < maxRows; r++)
                {
                    var values = new object?[view.Schema.Count];
                    for (int c = 0; c < values.Length; c++) values[c] = ValueAt(batch, c, r);
                    rows.Add(values);
                }
                if (rows.Count >= maxRows) break;
            }
        }
        return new DataPreview(view.Schema, rows);
    }

    /// <summary>The value of column <paramref name="column"/> at row <paramref name="row"/> of a batch: a scalar, or an array for a vector.</summary>
    public static object? ValueAt(DataBatch batch, int column, int row)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var type = batch.Schema[column].Type;
        var array = batch.GetArray(column);
        if (!type.IsVector) return array.GetValue(row);
        var item = type.CreateArray(type.Size);
        Array.Copy(array, (long)row * type.Size, item, 0, type.Size);
        return item;
    }

    /// <summary>Formats one item for previews and CSV output (invariant culture, round-trippable numbers).</summary>
    public static string FormatItem(object? value) => value switch
    {
        null => string.Empty,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    internal static bool[] NeededMask(DataViewSchema schema, IReadOnlyCollection<int>? columnsNeeded)
    {
        var needed = new bool[schema.Count];
        if (columnsNeeded is null)
        {
            Array.Fill(needed, true);
            return needed;
        }
        foreach (int c in columnsNeeded)
        {
            if (c < 0 || c >= schema.Count) throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column index {c} is outside the schema of {schema.Count} columns.");
            needed[c] = true;
        }
        return needed;
    }
}
