using MLNet.Nets.Data;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MLNet.Nets.Models;
using MLNet.Nets.Serialization;

namespace MLNet.Nets;

/// <summary>
/// Where a transformer writes its parameters inside a model file: a JSON object (<see cref="Config"/>) for settings,
/// exact binary arrays, nested networks and nested transformers. Everything lands in one <c>.zip</c>, written atomically
/// by <see cref="Catalogs.ModelOperationsCatalog.Save(ITransformer, Data.DataViewSchema, string)"/>.
/// </summary>
public sealed class ModelSaveContext
{
    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private int _children;

    internal ModelSaveContext(ZipArchive zip, string prefix)
    {
        _zip = zip;
        _prefix = prefix;
    }

    /// <summary>The transformer's settings; small values only (large arrays go through <see cref="WriteArray{T}"/>).</summary>
    public JsonObject Config { get; } = new();

    /// <summary>Stores <paramref name="values"/> exactly (little-endian bytes) under <paramref name="name"/>.</summary>
    public void WriteArray<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var entry = _zip.CreateEntry($"{_prefix}{name}.bin", CompressionLevel.Fastest);
        using var stream = entry.Open();
        stream.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Stores strings under <paramref name="name"/> (in the config).</summary>
    public void WriteStrings(string name, IEnumerable<string> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Config[name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }

    /// <summary>Stores a network (architecture and weights) under <paramref name="name"/>.</summary>
    public void WriteModel(string name, Model model)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(model);
        var entry = _zip.CreateEntry($"{_prefix}{name}.model.zip", CompressionLevel.NoCompression);
        using var stream = entry.Open();
        ModelArchive.Save(model, stream);
    }

    /// <summary>Stores a nested transformer under <paramref name="name"/>.</summary>
    public void WriteTransformer(string name, ITransformer transformer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(transformer);
        var child = new ModelSaveContext(_zip, $"{_prefix}{_children++}/");
        transformer.Save(child);
        Config[name] = child.Finish(transformer);
    }

    internal JsonObject Finish(ITransformer transformer) => new()
    {
        ["type"] = TransformerRegistry.NameOf(transformer.GetType()),
        ["prefix"] = _prefix,
        ["config"] = Config,
    };
}
