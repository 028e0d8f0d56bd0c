namespace MLNet.Nets.Data;

/// <summary>
/// A block of consecutive rows of a data view, stored column by column: column i is an array of
/// <c>RowCount × Size</c> items of its type's raw type (<see cref="DataViewType.RawType"/>), row-major for vectors.
/// Only the columns a cursor asked for are present.
/// </summary>
public sealed class DataBatch
{
    /// <summary>The number of rows per batch cursors use when not told otherwise.</summary>
    public const int DefaultSize = 1024;

    private readonly Array?[] _columns;

    /// <summary>A batch of <paramref name="rowCount"/> rows starting at row <paramref name="rowOffset"/> of its view.</summary>
    /// <param name="schema">The view's schema.</param>
    /// <param name="rowCount">Rows in this batch.</param>
    /// <param name="rowOffset">Index of the first row within the view (0-based).</param>
    /// <param name="columns">One entry per schema column: the values, or null when the column was not asked for.</param>
    public DataBatch(DataViewSchema schema, int rowCount, long rowOffset, Array?[] columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (columns.Length != schema.Count) throw new ArgumentException($"The batch has {columns.Length} column slots but the schema {schema.Count} columns.");
        for (int i = 0; i < columns.Length; i++)
        {
            var a = columns[i];
            if (a is null) continue;
            var type = schema[i].Type;
            if (a.GetType().GetElementType() != type.RawType && !(type.Kind == DataKind.Image && a is Vision.Imaging.Image?[]))
            {
                throw new ArgumentException($"Column '{schema[i].Name}' holds {type} but its array is {a.GetType().Name}.");
            }
            if (a.Length != (long)rowCount * type.Size)
            {
                throw new ArgumentException($"Column '{schema[i].Name}' should hold {rowCount}×{type.Size} items but holds {a.Length}.");
            }
        }
        Schema = schema;
        RowCount = rowCount;
        RowOffset = rowOffset;
        _columns = columns;
    }

    /// <summary>The view's schema.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>Rows in this batch.</summary>
    public int RowCount { get; }

    /// <summary>Index of this batch's first row within its view.</summary>
    public long RowOffset { get; }

    /// <summary>True when column <paramref name="index"/> was loaded.</summary>
    public bool HasColumn(int index) => _columns[index] is not null;

    /// <summary>The raw values of column <paramref name="index"/> (RowCount × Size items).</summary>
    /// <exception cref="InvalidOperationException">The column was not asked for by the cursor.</exception>
    public Array GetArray(int index) => _columns[index]
        ?? throw new InvalidOperationException($"Column '{Schema[index].Name}' was not loaded in this batch; ask for it when opening the cursor.");

    /// <summary>The values of column <paramref name="index"/> as <typeparamref name="T"/>[] (RowCount × Size items).</summary>
    /// <exception cref="InvalidOperationException">The column holds another type, or was not loaded.</exception>
    public T[] GetValues<T>(int index) => GetArray(index) is T[] values && values.GetType().GetElementType() == typeof(T)
        ? values
        : throw new InvalidOperationException($"Column '{Schema[index].Name}' holds {Schema[index].Type}, not {typeof(T).Name}.");

    /// <summary>The values of the column named <paramref name="name"/>.</summary>
    public T[] GetValues<T>(string name) => GetValues<T>(Schema[name].Index);

    internal Array?[] Columns => _columns;
}
