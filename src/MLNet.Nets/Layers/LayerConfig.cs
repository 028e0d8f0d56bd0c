using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNet.Nets.Layers;

/// <summary>
/// The hyper-parameters of a layer as JSON: what a model file's manifest stores to rebuild the layer
/// (weights are stored separately). Values are numbers, strings, booleans, enums (by name) and integer arrays.
/// </summary>
public sealed class LayerConfig
{
    private readonly JsonObject _values;

    /// <summary>Creates an empty configuration.</summary>
    public LayerConfig() => _values = new JsonObject();

    /// <summary>Wraps the JSON object read from a manifest.</summary>
    public LayerConfig(JsonObject values) => _values = values ?? throw new ArgumentNullException(nameof(values));

    /// <summary>The JSON object.</summary>
    public JsonObject Values => _values;

    /// <summary>Sets an integer.</summary>
    public LayerConfig Set(string key, int value) { _values[key] = value; return this; }
    /// <summary>Sets a float.</summary>
    public LayerConfig Set(string key, float value) { _values[key] = value; return this; }
    /// <summary>Sets a boolean.</summary>
    public LayerConfig Set(string key, bool value) { _values[key] = value; return this; }
    /// <summary>Sets a string (null removes the key).</summary>
    public LayerConfig Set(string key, string? value) { if (value is null) _values.Remove(key); else _values[key] = value; return this; }
    /// <summary>Sets an integer array.</summary>
    public LayerConfig Set(string key, ReadOnlySpan<int> value)
    {
        var array = new JsonArray();
        foreach (int v in value) array.Add(v);
        _values[key] = array;
        return this;
    }
    /// <summary>Sets an enum by name.</summary>
    public LayerConfig SetEnum<T>(string key, T value) where T : struct, Enum { _values[key] = value.ToString(); return this; }

    /// <summary>True when the key is present.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>Reads an integer.</summary>
    public int GetInt(string key) => Get(key).GetValue<int>();
    /// <summary>Reads an integer, or <paramref name="fallback"/> when absent.</summary>
    public int GetInt(string key, int fallback) => Has(key) ? GetInt(key) : fallback;
    /// <summary>Reads a float.</summary>
    public float GetFloat(string key) => Get(key).GetValue<float>();
    /// <summary>Reads a float, or <paramref name="fallback"/> when absent.</summary>
    public float GetFloat(string key, float fallback) => Has(key) ? GetFloat(key) : fallback;
    /// <summary>Reads a boolean.</summary>
    public bool GetBool(string key) => Get(key).GetValue<bool>();
    /// <summary>Reads a boolean, or <paramref name="fallback"/> when absent.</summary>
    public bool GetBool(string key, bool fallback) => Has(key) ? GetBool(key) : fallback;
    /// <summary>Reads a string.</summary>
    public string GetString(string key) => Get(key).GetValue<string>();
    /// <summary>Reads a string, or null when absent.</summary>
    public string? GetStringOrNull(string key) => Has(key) ? GetString(key) : null;
    /// <summary>Reads an integer array.</summary>
    public int[] GetInts(string key) => Get(key).AsArray().Select(n => n!.GetValue<int>()).ToArray();
    /// <summary>Reads an enum by name.</summary>
    public T GetEnum<T>(string key) where T : struct, Enum
    {
        string text = GetString(key);
        return Enum.TryParse<T>(text, ignoreCase: true, out var value)
            ? value
            : throw new InvalidDataException($"Layer config '{key}' has '{text}', which is not a {typeof(T).Name}.");
    }

    private JsonNode Get(string key) =>
        _values[key] ?? throw new InvalidDataException($"Layer config has no '{key}'.");

    /// <inheritdoc />
    public override string ToString() => _values.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
