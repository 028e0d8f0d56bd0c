namespace MLNet.Nets.Data;

/// <summary>
/// The lazy result of a row-to-row transform: the source's columns (minus those dropped or replaced) followed by the
/// computed columns, each computed batch by batch only when a cursor asks for it.
/// </summary>
public sealed class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly ColumnBinding[] _bindings;
    private readonly int[] _sourceOf;   // output column → source column, or -1 for computed
    private readonly int[] _bindingOf;  // output column → binding, or -1 for passed through

    /// <summary>A view of <paramref name="source"/> with <paramref name="bindings"/> added and <paramref name="dropped"/> removed.</summary>
    /// <exception cref="ArgumentException">A binding reads a column the source lacks, or two bindings share a name.</exception>
    public MappedDataView(IDataView source, IReadOnlyList<ColumnBinding> bindings, IEnumerable<string>? dropped = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(bindings);
        _source = source;
        _bindings = bindings.ToArray();
        (Schema, _sourceOf, _bindingOf) = BuildSchema(source.Schema, _bindings, dropped);
    }

    /// <summary>The schema a view of <paramref name="source"/> with these bindings and drops would have.</summary>
    public static DataViewSchema OutputSchema(DataViewSchema source, IReadOnlyList<ColumnBinding> bindings, IEnumerable<string>? dropped = null) =>
        BuildSchema(source, bindings.ToArray(), dropped).Schema;

    private static (DataViewSchema Schema, int[] SourceOf, int[] BindingOf) BuildSchema(DataViewSchema source, ColumnBinding[] bindings,
        IEnumerable<string>? dropped)
    {
        var removed = new HashSet<string>(dropped ?? [], StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in bindings)
        {
            if (!names.Add(b.Name)) throw new ArgumentException($"Two transforms in one step write the column '{b.Name}'.");
            foreach (int i in b.Inputs)
            {
                if (i < 0 || i >= source.Count) throw new ArgumentException($"Column '{b.Name}' reads source column {i}, which does not exist.");
            }
        }
        var columns = new List<(string, DataViewType, DataViewSchema.Annotations?)>();
        var sourceOf = new List<int>();
        var bindingOf = new List<int>();
        foreach (var c in source)
        {
            if (removed.Contains(c.Name) || names.Contains(c.Name)) continue;
            columns.Add((c.Name, c.Type, c.Annotations));
            sourceOf.Add(c.Index);
            bindingOf.Add(-1);
        }
        for (int b = 0; b < bindings.Length; b++)
        {
            columns.Add((bindings[b].Name, bindings[b].Type, bindings[b].Annotations));
            sourceOf.Add(-1);
            bindingOf.Add(b);
        }
        return (new DataViewSchema(columns), sourceOf.ToArray(), bindingOf.ToArray());
    }

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _source.GetRowCount();

    /// <inheritdoc/>
    public IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
        CancellationToken cancellationToken = default)
    {
        var needed = DataViewExtensions.NeededMask(Schema, columnsNeeded);
        var sourceNeeded = new HashSet<int>();
        for (int c = 0; c < needed.Length; c++)
        {
            if (!needed[c]) continue;
            if (_sourceOf[c] >= 0) sourceNeeded.Add(_sourceOf[c]);
            else foreach (int i in _bindings[_bindingOf[c]].Inputs) sourceNeeded.Add(i);
        }
        return Read(needed, sourceNeeded, batchSize, cancellationToken);
    }

    private IEnumerable<DataBatch> Read(bool[] needed, HashSet<int> sourceNeeded, int batchSize, CancellationToken cancellationToken)
    {
        foreach (var batch in _source.GetBatches(sourceNeeded, batchSize, cancellationToken))
        {
            var arrays = new Array?[Schema.Count];
            for (int c = 0; c < arrays.Length; c++)
            {
                if (!needed[c]) continue;
                if (_sourceOf[c] >= 0)
                {
                    arrays[c] = batch.GetArray(_sourceOf[c]);
                    continue;
                }
                var binding = _bindings[_bindingOf[c]];
                arrays[c] = binding.Compute(batch);
            }
            yield return new DataBatch(Schema, batch.RowCount, batch.RowOffset, arrays);
        }
    }
}
