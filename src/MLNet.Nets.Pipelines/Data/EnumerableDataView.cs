namespace MLNet.Nets.Data;

/// <summary>A view over objects in memory (see <c>nets.Data.LoadFromEnumerable</c>); streams them, reading each time.</summary>
internal sealed class EnumerableDataView<T> : IDataView where T : class
{
    private readonly IEnumerable<T> _rows;
    private readonly RowMember[] _members;

    public EnumerableDataView(IEnumerable<T> rows, DataViewSchema? schema)
    {
        _rows = rows;
        var members = RowMember.Of(typeof(T));
        if (schema is null)
        {
            T? first = rows.FirstOrDefault();
            var columns = new List<(string, DataViewType, DataViewSchema.Annotations?)>();
            foreach (var m in members)
            {
                var type = m.DeclaredType();
                if (type is null)
                {
                    if (first is null || m.Get(first) is not Array a || a.Length == 0)
                    {
                        throw new ArgumentException($"{typeof(T).Name}.{m.Name} is an array of unknown length: mark it [VectorType(length)].");
                    }
                    type = new VectorDataViewType(DataViewType.Scalar(m.Kind), a.Length);
                }
                columns.Add((m.Name, type, null));
            }
            schema = new DataViewSchema(columns);
        }
        _members = new RowMember[schema.Count];
        for (int c = 0; c < schema.Count; c++)
        {
            _members[c] = members.FirstOrDefault(m => m.Name == schema[c].Name)
                ?? throw new ArgumentException($"{typeof(T).Name} has no member for the column '{schema[c].Name}'.");
            if (_members[c].Kind != schema[c].Type.Kind || _members[c].IsArray != schema[c].Type.IsVector)
            {
                throw new ArgumentException($"{typeof(T).Name}.{_members[c].Name} ({_members[c].ClrType.Name}) cannot hold the column type {schema[c].Type}.");
            }
        }
        Schema = schema;
    }

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows switch
    {
        ICollection<T> c => c.Count,
        IReadOnlyCollection<T> c => c.Count,
        _ => null,
    };

    public IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var needed = DataViewExtensions.NeededMask(Schema, columnsNeeded);
        return Read(needed, batchSize, cancellationToken);
    }

    private IEnumerable<DataBatch> Read(bool[] needed, int batchSize, CancellationToken cancellationToken)
    {
        var buffer = new List<T>(batchSize);
        long offset = 0;
        foreach (var row in _rows)
        {
            buffer.Add(row ?? throw new InvalidDataException($"Row {offset + buffer.Count} of the enumerable is null."));
            if (buffer.Count < batchSize) continue;
            cancellationToken.ThrowIfCancellationRequested();
            yield return Fill(buffer, needed, offset);
            offset += buffer.Count;
            buffer.Clear();
        }
        if (buffer.Count > 0) yield return Fill(buffer, needed, offset);
    }

    private DataBatch Fill(List<T> rows, bool[] needed, long offset)
    {
        var arrays = new Array?[Schema.Count];
        for (int c = 0; c < arrays.Length; c++)
        {
            if (!needed[c]) continue;
            var type = Schema[c].Type;
            int size = type.Size;
            var array = type.CreateArray(rows.Count * size);
            for (int r = 0; r < rows.Count; r++)
            {
                object? value = _members[c].Get(rows[r]);
                if (type.IsVector)
                {
                    if (value is not Array a || a.Length != size)
                    {
                        throw new InvalidDataException($"Row {offset + r}: '{Schema[c].Name}' must hold {size} values but holds {(value as Array)?.Length ?? 0}.");
                    }
                    Array.Copy(a, 0, array, (long)r * size, size);
                }
                else if (value is not null)
                {
                    array.SetValue(value, r);
                }
            }
            arrays[c] = array;
        }
        return new DataBatch(Schema, rows.Count, offset, arrays);
    }
}
