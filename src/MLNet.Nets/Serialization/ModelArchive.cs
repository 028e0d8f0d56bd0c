using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Serialization;

/// <summary>
/// The model file: a <c>.zip</c> holding <c>manifest.json</c> (format name and version, the model kind, inputs, every
/// layer's type name, configuration, trainable flag, regularization and inbound wiring, the outputs) and
/// <c>weights.safetensors</c> (every parameter and buffer as <c>{layer}.{name}</c>).
/// </summary>
public static class ModelArchive
{
    /// <summary>The value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "MLNet.Nets.Model";

    /// <summary>The manifest version this library writes; it reads this and earlier versions.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifest entry name.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>The weights entry name.</summary>
    public const string WeightsEntry = "weights.safetensors";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically: a temporary file in the same folder is
    /// written, flushed and renamed over the destination, so a failure never leaves a partial file or destroys an
    /// earlier one.
    /// </summary>
    public static void Save(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!model.IsBuilt) throw new InvalidOperationException("Cannot save a model that is not built yet; call Build(inputShape) or Fit first.");
        AtomicFile.Write(path, stream => Save(model, stream));
    }

    /// <summary>Writes <paramref name="model"/> as a model <c>.zip</c> to <paramref name="stream"/> (left open).</summary>
    public static void Save(Model model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (!model.IsBuilt) throw new InvalidOperationException("Cannot save a model that is not built yet; call Build(inputShape) or Fit first.");
        var manifest = BuildManifest(model);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var manifestEntry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal);
        using (var entryStream = manifestEntry.Open())
        {
            using var writer = new Utf8JsonWriter(entryStream, new JsonWriterOptions { Indented = true });
            manifest.WriteTo(writer);
        }
        var weightsEntry = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest);
        using (var entryStream = weightsEntry.Open())
        {
            SafeTensors.Write(entryStream, model.StateDict().Select(w => new KeyValuePair<string, Tensor>(w.Name, w.Value)));
        }
    }

    /// <summary>Reads a model written by <see cref="Save(Model, string)"/>: rebuilds the architecture and loads every weight.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable model (corrupt or truncated zip, missing entry,
    /// newer format version, unknown layer type) or its weights do not fit the architecture (every mismatched, missing
    /// and unexpected tensor is listed).</exception>
    public static Model Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(file, path);
    }

    /// <summary>Reads a model <c>.zip</c> from <paramref name="stream"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="Load(string)"/>.</exception>
    public static Model Load(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var manifest = ReadManifest(zip, path);
            var model = BuildModel(manifest, path);
            var weightsEntry = zip.GetEntry(WeightsEntry)
                ?? throw new InvalidDataException($"Model file '{path}' has no '{WeightsEntry}' entry.");
            if (weightsEntry.Length > int.MaxValue) throw new InvalidDataException($"Model file '{path}': the weights entry is too large.");
            using var buffer = new MemoryStream(checked((int)Math.Max(0, weightsEntry.Length)));
            using (var entryStream = weightsEntry.Open()) entryStream.CopyTo(buffer);
            buffer.Position = 0;
            var content = SafeTensors.Read(buffer, $"{path}!{WeightsEntry}");
            model.LoadStateDict(content.Tensors, strict: true, source: path);
            return model;
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Model file '{path}' is corrupt or truncated: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Model file '{path}' is truncated: {e.Message}", e);
        }
    }

    private static JsonObject BuildManifest(Model model)
    {
        var nodes = CollectNodes(model);
        var inputs = new JsonArray();
        foreach (var input in model.Inputs)
        {
            inputs.Add(new JsonObject { ["name"] = input.InputName, ["shape"] = IntArray(input.Shape) });
        }
        var layers = new JsonArray();
        foreach (var layer in model.Layers)
        {
            var node = nodes[layer];
            var entry = new JsonObject
            {
                ["name"] = layer.Name,
                ["type"] = layer.TypeName,
                ["trainable"] = layer.Trainable,
                ["config"] = JsonNode.Parse(layer.GetConfig().Values.ToJsonString()),
                ["inbound"] = new JsonArray(node.Inputs.Select(n => (JsonNode?)JsonValue.Create(NodeName(n))).ToArray()),
            };
            var regularization = new JsonObject();
            foreach (var p in layer.Parameters)
            {
                if (p.L1 != 0 || p.L2 != 0) regularization[p.Name] = new JsonObject { ["l1"] = p.L1, ["l2"] = p.L2 };
            }
            if (regularization.Count > 0) entry["regularization"] = regularization;
            layers.Add(entry);
        }
        return new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["model"] = model is Sequential ? "Sequential" : "Model",
            ["seed"] = model.Seed,
            ["inputs"] = inputs,
            ["layers"] = layers,
            ["outputs"] = new JsonArray(model.Outputs.Select(n => (JsonNode?)JsonValue.Create(NodeName(n))).ToArray()),
        };
    }

    private static Dictionary<Layer, Node> CollectNodes(Model model)
    {
        var result = new Dictionary<Layer, Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>(model.Outputs);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.IsInput || result.ContainsKey(node.Layer!)) continue;
            result[node.Layer!] = node;
            foreach (var child in node.Inputs) stack.Push(child);
        }
        return result;
    }

    private static string NodeName(Node node) => node.IsInput ? node.InputName! : node.Layer!.Name!;

    private static JsonArray IntArray(int[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject ReadManifest(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(ManifestEntry)
            ?? throw new InvalidDataException($"Model file '{path}' has no '{ManifestEntry}' entry; it is not an MLNet.Nets model.");
        JsonNode? root;
        try
        {
            using var stream = entry.Open();
            root = JsonNode.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model file '{path}': '{ManifestEntry}' is not valid JSON ({e.Message}).", e);
        }
        if (root is not JsonObject manifest || (string?)manifest["format"] != FormatName)
        {
            throw new InvalidDataException($"Model file '{path}': '{ManifestEntry}' is not an {FormatName} manifest.");
        }
        int version = (int?)manifest["version"] ?? 0;
        if (version > FormatVersion)
        {
            throw new InvalidDataException(
                $"Model file '{path}' has format version {version}, written by a newer MLNet.Nets; this version reads up to {FormatVersion}. Upgrade the library.");
        }
        if (version < 1) throw new InvalidDataException($"Model file '{path}' has an invalid format version {version}.");
        return manifest;
    }

    private static Model BuildModel(JsonObject manifest, string path)
    {
        try
        {
            var pendingRegularization = new Dictionary<Layer, JsonObject>(ReferenceEqualityComparer.Instance);
            string kind = (string?)manifest["model"] ?? "Model";
            int seed = (int?)manifest["seed"] ?? 0;
            var inputs = Required<JsonArray>(manifest, "inputs", path);
            var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
            var inputNodes = new List<Node>();
            foreach (var item in inputs)
            {
                var obj = item as JsonObject ?? throw new InvalidDataException($"Model file '{path}': an input entry is not an object.");
                string name = (string?)obj["name"] ?? throw new InvalidDataException($"Model file '{path}': an input has no name.");
                int[] shape = Required<JsonArray>(obj, "shape", path).Select(v => (int)v!).ToArray();
                var node = Input.Create(shape, seed, name);
                nodes[name] = node;
                inputNodes.Add(node);
            }
            var layers = new List<Layer>();
            var layerEntries = Required<JsonArray>(manifest, "layers", path);
            foreach (var item in layerEntries)
            {
                var obj = item as JsonObject ?? throw new InvalidDataException($"Model file '{path}': a layer entry is not an object.");
                string name = (string?)obj["name"] ?? throw new InvalidDataException($"Model file '{path}': a layer has no name.");
                string type = (string?)obj["type"] ?? throw new InvalidDataException($"Model file '{path}': layer '{name}' has no type.");
                var config = new LayerConfig((JsonObject)JsonNode.Parse(Required<JsonObject>(obj, "config", path).ToJsonString())!);
                var layer = LayerRegistry.Create(type, config);
                layer.Name = name;
                if (obj["regularization"] is JsonObject reg)
                {
                    // Parameters exist only after Build; remember the factors and apply them once the layer is wired.
                    pendingRegularization[layer] = reg;
                }
                if (kind != "Sequential")
                {
                    var inbound = Required<JsonArray>(obj, "inbound", path).Select(v => (string)v!).ToArray();
                    var sources = inbound.Select(n => nodes.TryGetValue(n, out var src)
                        ? src
                        : throw new InvalidDataException($"Model file '{path}': layer '{name}' is fed by '{n}', which is not defined before it.")).ToArray();
                    nodes[name] = layer.Call(sources);
                }
                bool trainable = (bool?)obj["trainable"] ?? true;
                layer.Trainable = trainable;
                layers.Add(layer);
            }
            Model model;
            if (kind == "Sequential")
            {
                if (inputNodes.Count != 1) throw new InvalidDataException($"Model file '{path}': a Sequential model has one input.");
                var sequential = new Sequential(layers.ToArray()) { Seed = seed };
                sequential.Build(inputNodes[0].Shape);
                model = sequential;
            }
            else
            {
                var outputs = Required<JsonArray>(manifest, "outputs", path).Select(v => (string)v!).Select(n => nodes.TryGetValue(n, out var node)
                    ? node
                    : throw new InvalidDataException($"Model file '{path}': output '{n}' is not a defined layer or input.")).ToArray();
                model = new Model(inputNodes, outputs) { Seed = seed };
            }
            foreach (var layer in layers)
            {
                layer.Trainable = layer.Trainable; // propagates the flag to the parameters created by Build
                if (!pendingRegularization.Remove(layer, out var reg)) continue;
                foreach (var p in layer.Parameters)
                {
                    if (reg[p.Name] is JsonObject f)
                    {
                        p.L1 = (float?)f["l1"] ?? 0f;
                        p.L2 = (float?)f["l2"] ?? 0f;
                    }
                }
            }
            return model;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or JsonException or InvalidCastException)
        {
            throw new InvalidDataException($"Model file '{path}': the architecture could not be rebuilt: {e.Message}", e);
        }
    }

    private static T Required<T>(JsonObject obj, string key, string path) where T : JsonNode =>
        obj[key] as T ?? throw new InvalidDataException($"Model file '{path}': the manifest has no valid '{key}'.");
}
