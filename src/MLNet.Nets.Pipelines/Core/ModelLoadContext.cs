using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MLNet.Nets.Models;
using MLNet.Nets.Serialization;

namespace MLNet.Nets;

/// <summary>What a transformer's <c>Load</c> reads back: the config it wrote, its arrays, networks and nested transformers.</summary>
public sealed class ModelLoadContext
{
    /// <summary>The largest array entry accepted, in bytes (a bound for untrusted files).</summary>
    public const long MaxArrayBytes = 1L << 31;

    private readonly ZipArchive _zip;
    private readonly string _prefix;

    internal ModelLoadContext(ZipArchive zip, string prefix, JsonObject config, string source)
    {
        _zip = zip;
        _prefix = prefix;
        Config = config;
        Source = source;
    }

    /// <summary>The settings the transformer wrote.</summary>
    public JsonObject Config { get; }

    /// <summary>The model file's path, for error messages.</summary>
    public string Source { get; }

    /// <summary>The config value <paramref name="name"/> converted to <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or has the wrong type.</exception>
    public T Get<T>(string name)
    {
        try
        {
            var node = Config[name] ?? throw new InvalidDataException($"Model file '{Source}': '{_prefix}' has no setting '{name}'.");
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Model file '{Source}': setting '{name}' of '{_prefix}' is not a {typeof(T).Name}.", e);
        }
    }

    /// <summary>The config value <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public T GetOrDefault<T>(string name, T fallback) => Config[name] is null ? fallback : Get<T>(name);

    /// <summary>The strings stored with <see cref="ModelSaveContext.WriteStrings"/>.</summary>
    public string[] ReadStrings(string name)
    {
        if (Config[name] is not JsonArray array) throw new InvalidDataException($"Model file '{Source}': '{_prefix}' has no string list '{name}'.");
        return array.Select(v => (string?)v ?? throw new InvalidDataException($"Model file '{Source}': '{name}' holds a null.")).ToArray();
    }

    /// <summary>The array stored with <see cref="ModelSaveContext.WriteArray{T}"/>.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="expectedLength">The number of items it must have, or -1 for any.</param>
    /// <exception cref="InvalidDataException">Missing, too large, or of the wrong length.</exception>
    public T[] ReadArray<T>(string name, int expectedLength = -1) where T : unmanaged
    {
        var entry = _zip.GetEntry($"{_prefix}{name}.bin") ?? throw new InvalidDataException($"Model file '{Source}' has no entry '{_prefix}{name}.bin'.");
        int itemSize = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (entry.Length > MaxArrayBytes || entry.Length % itemSize != 0)
        {
            throw new InvalidDataException($"Model file '{Source}': entry '{_prefix}{name}.bin' has an invalid length {entry.Length}.");
        }
        var values = new T[entry.Length / itemSize];
        if (expectedLength >= 0 && values.Length != expectedLength)
        {
            throw new InvalidDataException($"Model file '{Source}': '{_prefix}{name}' has {values.Length} values, expected {expectedLength}.");
        }
        using var stream = entry.Open();
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>The network stored with <see cref="ModelSaveContext.WriteModel"/>.</summary>
    public Model ReadModel(string name)
    {
        var entry = _zip.GetEntry($"{_prefix}{name}.model.zip") ?? throw new InvalidDataException($"Model file '{Source}' has no entry '{_prefix}{name}.model.zip'.");
        if (entry.Length > MaxArrayBytes) throw new InvalidDataException($"Model file '{Source}': network '{name}' is too large.");
        using var buffer = new MemoryStream((int)entry.Length);
        using (var stream = entry.Open()) stream.CopyTo(buffer);
        buffer.Position = 0;
        return ModelArchive.Load(buffer, $"{Source}!{_prefix}{name}");
    }

    /// <summary>The nested transformer stored with <see cref="ModelSaveContext.WriteTransformer"/>.</summary>
    public ITransformer ReadTransformer(string name)
    {
        if (Config[name] is not JsonObject node) throw new InvalidDataException($"Model file '{Source}': '{_prefix}' has no transformer '{name}'.");
        return Open(_zip, node, Source);
    }

    internal static ITransformer Open(ZipArchive zip, JsonObject node, string source)
    {
        string type = (string?)node["type"] ?? throw new InvalidDataException($"Model file '{source}': a transformer has no type.");
        string prefix = (string?)node["prefix"] ?? throw new InvalidDataException($"Model file '{source}': transformer '{type}' has no prefix.");
        var config = node["config"] as JsonObject ?? throw new InvalidDataException($"Model file '{source}': transformer '{type}' has no config.");
        var context = new ModelLoadContext(zip, prefix, config, source);
        try
        {
            return TransformerRegistry.Create(type, context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"Model file '{source}': transformer '{type}' could not be loaded: {e.Message}", e);
        }
    }
}
