using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>
/// Learns the categories of a column (text, number or Boolean; scalar or vector) and maps values to keys 1…K (0 for a
/// missing value: NaN or empty text). The key column carries the categories as its <c>KeyValues</c> annotation, which
/// <c>MapKeyToValue</c> uses to map predictions back.
/// </summary>
public sealed class ValueToKeyMappingEstimator : IEstimator<ValueToKeyMappingTransformer>
{
    internal ValueToKeyMappingEstimator(string outputColumnName, string inputColumnName, int maximumNumberOfKeys, KeyOrdinality ordinality,
        bool addKeyValueAnnotationsAsText)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumNumberOfKeys, 1);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        MaximumNumberOfKeys = maximumNumberOfKeys;
        Ordinality = ordinality;
        AddKeyValueAnnotationsAsText = addKeyValueAnnotationsAsText;
    }

    /// <summary>The key column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The value column read.</summary>
    public string InputColumnName { get; }
    /// <summary>At most this many categories are kept (the first found, or the smallest by value); others map to 0.</summary>
    public int MaximumNumberOfKeys { get; }
    /// <summary>How categories are numbered.</summary>
    public KeyOrdinality Ordinality { get; }
    /// <summary>Store the KeyValues annotation as text instead of the original type.</summary>
    public bool AddKeyValueAnnotationsAsText { get; }

    /// <inheritdoc/>
    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentException($"The column '{InputColumnName}' is not in the data. Columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.");
        var kind = column.Type.Kind;
        if (kind is DataKind.Key or DataKind.Image) throw new ArgumentException($"The column '{InputColumnName}' holds {column.Type}; MapValueToKey maps text, numbers or Booleans.");
        var seen = new HashSet<object>();
        var order = new List<object>();
        foreach (var batch in input.GetBatches([column.Index]))
        {
            foreach (var value in batch.GetArray(column.Index))
            {
                if (ValueToKeyMappingTransformer.IsMissing(value)) continue;
                if (seen.Add(value!)) order.Add(value!);
            }
        }
        if (order.Count == 0) throw new ArgumentException($"The column '{InputColumnName}' has no values to map to keys.");
        IEnumerable<object> ordered = Ordinality == KeyOrdinality.ByValue ? order.Order(ValueComparer.Instance) : order;
        var values = ordered.Take(MaximumNumberOfKeys).ToArray();
        var keyValues = column.Type.ItemType.CreateArray(values.Length);
        for (int i = 0; i < values.Length; i++) keyValues.SetValue(values[i], i);
        return new ValueToKeyMappingTransformer(OutputColumnName, InputColumnName, keyValues, AddKeyValueAnnotationsAsText);
    }

    private sealed class ValueComparer : IComparer<object>
    {
        public static ValueComparer Instance { get; } = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (string a, string b) => string.CompareOrdinal(a, b),
            (IComparable a, _) => a.CompareTo(y),
            _ => 0,
        };
    }
}
