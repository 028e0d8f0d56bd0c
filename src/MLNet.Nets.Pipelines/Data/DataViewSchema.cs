using System.Collections;
using System.Text;

namespace MLNet.Nets.Data;

/// <summary>
/// The columns of a data view: each has a name, an index, a <see cref="DataViewType"/> and annotations (for example
/// <c>KeyValues</c>, the category values of a key column, and <c>SlotNames</c>, the names of a vector's items).
/// Names are unique within a schema.
/// </summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _byName;

    /// <summary>A schema with the given columns, in order.</summary>
    /// <exception cref="ArgumentException">Two columns share a name.</exception>
    public DataViewSchema(IEnumerable<(string Name, DataViewType Type, Annotations? Annotations)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var list = new List<Column>();
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, type, annotations) in columns)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            if (!_byName.TryAdd(name, list.Count)) throw new ArgumentException($"The schema has two columns named '{name}'.");
            list.Add(new Column(name, list.Count, type, annotations ?? Annotations.Empty));
        }
        _columns = list.ToArray();
    }

    /// <summary>Number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    public Column this[int index] => _columns[index];

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such column (the message lists the columns there are).</exception>
    public Column this[string name] => GetColumnOrNull(name)
        ?? throw new ArgumentOutOfRangeException(nameof(name), $"There is no column '{name}'. Columns: {string.Join(", ", _columns.Select(c => c.Name))}.");

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public Column? GetColumnOrNull(string name) => _byName.TryGetValue(name, out int i) ? _columns[i] : null;

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line per column: name, type and annotation names.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var c in _columns) sb.AppendLine(c.ToString());
        return sb.ToString();
    }

    /// <summary>A column of a schema.</summary>
    public sealed class Column
    {
        internal Column(string name, int index, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            Type = type;
            Annotations = annotations;
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }
        /// <summary>The column's position in the schema.</summary>
        public int Index { get; }
        /// <summary>The column's type.</summary>
        public DataViewType Type { get; }
        /// <summary>The column's annotations.</summary>
        public Annotations Annotations { get; }

        /// <inheritdoc/>
        public override string ToString() =>
            Annotations.Count == 0 ? $"{Name}: {Type}" : $"{Name}: {Type} [{string.Join(", ", Annotations.Names)}]";
    }

    /// <summary>
    /// Named values attached to a column. Well-known names: <see cref="KeyValuesName"/> (an array with one value per
    /// key category), <see cref="SlotNamesName"/> (a string array naming each item of a vector) and
    /// <see cref="IsNormalizedName"/> (true after a normalizer).
    /// </summary>
    public sealed class Annotations
    {
        private readonly Dictionary<string, object> _values;

        /// <summary>The name of the key-values annotation.</summary>
        public const string KeyValuesName = "KeyValues";
        /// <summary>The name of the slot-names annotation.</summary>
        public const string SlotNamesName = "SlotNames";
        /// <summary>The name of the is-normalized annotation.</summary>
        public const string IsNormalizedName = "IsNormalized";

        /// <summary>Annotations holding the given values.</summary>
        public Annotations(IReadOnlyDictionary<string, object> values) =>
            _values = new Dictionary<string, object>(values ?? throw new ArgumentNullException(nameof(values)), StringComparer.Ordinal);

        /// <summary>No annotations.</summary>
        public static Annotations Empty { get; } = new(new Dictionary<string, object>());

        /// <summary>Number of annotations.</summary>
        public int Count => _values.Count;
        /// <summary>The annotation names.</summary>
        public IEnumerable<string> Names => _values.Keys;

        /// <summary>The annotation <paramref name="name"/>, or null.</summary>
        public object? Get(string name) => _values.GetValueOrDefault(name);

        /// <summary>The key values (one per category, category k at index k-1), or null.</summary>
        public Array? KeyValues => Get(KeyValuesName) as Array;

        /// <summary>The slot names of a vector, or null.</summary>
        public IReadOnlyList<string>? SlotNames => Get(SlotNamesName) as string[];

        /// <summary>True when a normalizer produced the column.</summary>
        public bool IsNormalized => Get(IsNormalizedName) is true;

        /// <summary>These annotations plus (or with a new value for) <paramref name="name"/>.</summary>
        public Annotations With(string name, object value)
        {
            var copy = new Dictionary<string, object>(_values, StringComparer.Ordinal) { [name] = value };
            return new Annotations(copy);
        }

        /// <summary>Key values annotations.</summary>
        public static Annotations ForKeyValues(Array values) => Empty.With(KeyValuesName, values);

        /// <summary>Slot names annotations.</summary>
        public static Annotations ForSlotNames(string[] names) => Empty.With(SlotNamesName, names);
    }
}
