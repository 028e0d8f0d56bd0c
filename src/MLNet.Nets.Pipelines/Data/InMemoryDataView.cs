namespace MLNet.Nets.Data;

/// <summary>A data view whose columns are arrays in memory (see <see cref="DataViewExtensions.Cache"/>).</summary>
public sealed class InMemoryDataView : IDataView
{
    private readonly Array[] _columns;

    /// <summary>A view of <paramref name="rowCount"/> rows over the given column arrays (not copied).</summary>
    /// <exception cref="ArgumentException">An array's type or length does not fit its column.</exception>
    public InMemoryDataView(DataViewSchema schema, Array[] columns, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        // The batch constructor checks every column's type and length.
        _ = new DataBatch(schema, rowCount, 0, columns);
        Schema = schema;
        _columns = columns;
        RowCount = rowCount;
    }

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The values of column <paramref name="index"/>, all rows.</summary>
    public Array GetColumnArray(int index) => _columns[index];

    /// <inheritdoc/>
    public long? GetRowCount() => RowCount;

    /// <inheritdoc/>
    public IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var needed = DataViewExtensions.NeededMask(Schema, columnsNeeded);
        return Read(needed, batchSize, cancellationToken);
    }

    private IEnumerable<DataBatch> Read(bool[] needed, int batchSize, CancellationToken cancellationToken)
    {
        for (int start = 0; start < RowCount; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(batchSize, RowCount - start);
            var arrays = new Array?[_columns.Length];
            for (int c = 0; c < _columns.Length; c++)
            {
                if (!needed[c]) continue;
                if (start == 0 && rows == RowCount)
                {
                    arrays[c] = _columns[c];
                    continue;
                }
                int size = Schema[c].Type.Size;
                var slice = Schema[c].Type.CreateArray(rows * size);
                Array.Copy(_columns[c], (long)start * size, slice, 0, (long)rows * size);
                arrays[c] = slice;
            }
            yield return new DataBatch(Schema, rows, start, arrays);
        }
    }
}
