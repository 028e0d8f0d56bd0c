namespace MLNet.Nets.Data;

/// <summary>Reads rows of a view into objects of <typeparamref name="TRow"/>, members matched to columns by name.</summary>
internal sealed class RowReader<TRow> where TRow : class, new()
{
    private readonly (RowMember Member, int Column)[] _map;
    private readonly DataViewSchema _schema;

    public RowReader(DataViewSchema schema, bool ignoreMissingColumns)
    {
        _schema = schema;
        var map = new List<(RowMember, int)>();
        foreach (var m in RowMember.Of(typeof(TRow)))
        {
            var column = schema.GetColumnOrNull(m.Name);
            if (column is null)
            {
                if (ignoreMissingColumns || !m.CanWrite) continue;
                throw new ArgumentException($"{typeof(TRow).Name}.{m.Name} has no column in the data. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
            }
            if (!m.CanWrite) throw new ArgumentException($"{typeof(TRow).Name}.{m.Name} is read-only.");
            if (m.Kind != column.Type.Kind || m.IsArray != column.Type.IsVector)
            {
                throw new ArgumentException($"{typeof(TRow).Name}.{m.Name} ({m.ClrType.Name}) cannot hold the column '{column.Name}' of type {column.Type}.");
            }
            map.Add((m, column.Index));
        }
        _map = map.ToArray();
    }

    public int[] Columns => _map.Select(m => m.Column).ToArray();

    public IEnumerable<TRow> Read(IDataView data, bool reuseRowObject)
    {
        TRow? shared = reuseRowObject ? new TRow() : null;
        foreach (var batch in data.GetBatches(Columns))
        {
            for (int r = 0; r < batch.RowCount; r++)
            {
                var row = shared ?? new TRow();
                Fill(batch, r, row);
                yield return row;
            }
        }
    }

    public void Fill(DataBatch batch, int r, TRow row)
    {
        foreach (var (member, column) in _map)
        {
            var type = _schema[column].Type;
            var array = batch.GetArray(column);
            if (type.IsVector)
            {
                var existing = member.Get(row) as Array;
                var target = existing is not null && existing.Length == type.Size ? existing : type.CreateArray(type.Size);
                Array.Copy(array, (long)r * type.Size, target, 0, type.Size);
                if (!ReferenceEquals(existing, target)) member.Set(row, target);
            }
            else
            {
                member.Set(row, array.GetValue(r));
            }
        }
    }
}
