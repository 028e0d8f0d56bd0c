using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Nets.Data;
using MLNet.Nets.Serialization;

namespace MLNet.Nets;

/// <summary>
/// The pipeline model file: a <c>.zip</c> with <c>manifest.json</c> (format name and version, the input schema, the
/// transformer tree with each step's settings) plus each step's binary arrays and nested networks. Written atomically.
/// </summary>
public static class PipelineArchive
{
    /// <summary>The manifest's <c>format</c> value.</summary>
    public const string FormatName = "MLNet.Nets.Pipeline";

    /// <summary>The version written; files up to this version are read.</summary>
    public const int FormatVersion = 1;

    private const string Manifest = "manifest.json";
    private const long MaxManifestBytes = 64L << 20;

    /// <summary>Writes <paramref name="model"/> and the schema of the data it expects to <paramref name="path"/>, atomically.</summary>
    public static void Save(ITransformer model, DataViewSchema? inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => Save(model, inputSchema, stream));
    }

    /// <summary>Writes the model file to <paramref name="stream"/> (left open).</summary>
    public static void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var root = new ModelSaveContext(zip, "model/");
        model.Save(root);
        var manifest = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["library"] = typeof(PipelineArchive).Assembly.GetName().Version?.ToString(),
            ["inputSchema"] = inputSchema is null ? null : SchemaJson.Write(inputSchema),
            ["model"] = root.Finish(model),
        };
        var entry = zip.CreateEntry(Manifest, CompressionLevel.Optimal);
        using var entryStream = entry.Open();
        using var writer = new Utf8JsonWriter(entryStream, new JsonWriterOptions { Indented = true });
        manifest.WriteTo(writer);
    }

    /// <summary>Reads a model file written by <see cref="Save(ITransformer, DataViewSchema?, string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, not a pipeline model, or from a newer version.</exception>
    public static ITransformer Load(string path, out DataViewSchema? inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(file, path, out inputSchema);
    }

    /// <summary>Reads a model file from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static ITransformer Load(Stream stream, string source, out DataViewSchema? inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var entry = zip.GetEntry(Manifest) ?? throw new InvalidDataException($"Model file '{source}' has no {Manifest}; it is not an MLNet.Nets pipeline model.");
            if (entry.Length > MaxManifestBytes) throw new InvalidDataException($"Model file '{source}': {Manifest} is too large ({entry.Length} bytes).");
            JsonObject manifest;
            using (var manifestStream = entry.Open())
            {
                manifest = JsonNode.Parse(manifestStream) as JsonObject ?? throw new InvalidDataException($"Model file '{source}': {Manifest} is not a JSON object.");
            }
            if ((string?)manifest["format"] != FormatName)
            {
                throw new InvalidDataException($"Model file '{source}' is not an MLNet.Nets pipeline model (format '{manifest["format"]}').");
            }
            int version = (int?)manifest["version"] ?? 0;
            if (version > FormatVersion)
            {
                throw new InvalidDataException($"Model file '{source}' has format version {version}, written by a newer MLNet.Nets; this version reads up to {FormatVersion}. Upgrade the library.");
            }
            if (version < 1) throw new InvalidDataException($"Model file '{source}' has an invalid format version {version}.");
            inputSchema = manifest["inputSchema"] is JsonArray schema ? SchemaJson.Read(schema, source) : null;
            var root = manifest["model"] as JsonObject ?? throw new InvalidDataException($"Model file '{source}' has no model.");
            return ModelLoadContext.Open(zip, root, source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model file '{source}' is corrupt: {e.Message}", e);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Model file '{source}' is corrupt or truncated: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Model file '{source}' is truncated: {e.Message}", e);
        }
    }
}
