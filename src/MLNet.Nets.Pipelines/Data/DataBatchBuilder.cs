namespace MLNet.Nets.Data;

/// <summary>Collects rows copied from other batches into a new batch (for filters and shuffles).</summary>
internal sealed class DataBatchBuilder
{
    private readonly DataViewSchema _schema;
    private readonly int[] _columns;
    private readonly int _capacity;
    private Array[] _arrays;

    public DataBatchBuilder(DataViewSchema schema, int[] columns, int capacity)
    {
        _schema = schema;
        _columns = columns;
        _capacity = capacity;
        _arrays = Allocate();
    }

    public int Count { get; private set; }

    private Array[] Allocate() => _columns.Select(c => _schema[c].Type.CreateArray(_capacity * _schema[c].Type.Size)).ToArray();

    public void AddRow(DataBatch batch, int row)
    {
        for (int k = 0; k < _columns.Length; k++)
        {
            int size = _schema[_columns[k]].Type.Size;
            Array.Copy(batch.GetArray(_columns[k]), (long)row * size, _arrays[k], (long)Count * size, size);
        }
        Count++;
    }

    public DataBatch Build(long rowOffset)
    {
        var arrays = new Array?[_schema.Count];
        for (int k = 0; k < _columns.Length; k++)
        {
            var a = _arrays[k];
            int length = Count * _schema[_columns[k]].Type.Size;
            if (a.Length != length)
            {
                var trimmed = _schema[_columns[k]].Type.CreateArray(length);
                Array.Copy(a, trimmed, length);
                a = trimmed;
            }
            arrays[_columns[k]] = a;
        }
        var batch = new DataBatch(_schema, Count, rowOffset, arrays);
        Count = 0;
        _arrays = Allocate();
        return batch;
    }
}
