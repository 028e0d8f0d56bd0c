namespace MLNet.Nets.Training;

/// <summary>
/// What <c>Model.Fit</c> returns: one value per epoch for each logged quantity — <c>loss</c>, each metric
/// (e.g. <c>accuracy</c>), their validation counterparts prefixed <c>val_</c>, and the learning rate <c>lr</c>.
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, List<float>> _values = new(StringComparer.Ordinal);

    /// <summary>Number of epochs recorded.</summary>
    public int Epochs { get; private set; }

    /// <summary>The logged names, in the order they first appeared.</summary>
    public IReadOnlyList<string> Keys => _keys;
    private readonly List<string> _keys = [];

    /// <summary>The per-epoch values of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key was never logged; the message lists the logged keys.</exception>
    public IReadOnlyList<float> this[string key] =>
        _values.TryGetValue(key, out var list)
            ? list
            : throw new KeyNotFoundException($"History has no '{key}'. Logged: {string.Join(", ", _keys)}.");

    /// <summary>True when <paramref name="key"/> was logged.</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>Appends one epoch's logs.</summary>
    public void Append(IReadOnlyDictionary<string, float> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        foreach (var (key, value) in logs)
        {
            if (!_values.TryGetValue(key, out var list))
            {
                list = new List<float>();
                for (int i = 0; i < Epochs; i++) list.Add(float.NaN);
                _values[key] = list;
                _keys.Add(key);
            }
            list.Add(value);
        }
        Epochs++;
        foreach (var list in _values.Values)
        {
            while (list.Count < Epochs) list.Add(float.NaN);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(Environment.NewLine, Enumerable.Range(0, Epochs).Select(e =>
            $"epoch {e + 1}: " + string.Join("  ", _keys.Select(k => $"{k}={_values[k][e]:G5}"))));
}
