using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// A reference to a pretrained weights file — a PyTorch state dict (<c>.pth</c>/<c>.pt</c>), a safetensors file or the
/// initializers of an ONNX model —
/// that is read when <see cref="Load"/> is called. Use <see cref="FromFile"/> for a file you have and
/// <see cref="FromCache(string, WeightsCache?, IProgress{long}?, CancellationToken)"/> for a published file by name.
/// </summary>
/// <example>
/// <code>
/// var weights = PretrainedWeights.FromFile("mobilenet_v2-b0353104.pth");
/// OrderedDictionary&lt;string, Tensor&gt; stateDict = weights.Load();   // "features.0.0.weight" → [32, 3, 3, 3], …
/// </code>
/// </example>
public sealed class PretrainedWeights
{
    private PretrainedWeights(string path, WeightsFormat format, KnownWeightsFile? known)
    {
        Path = path;
        Format = format;
        Known = known;
    }

    /// <summary>The weights file (absolute path).</summary>
    public string Path { get; }

    /// <summary>The file's format, detected from its first bytes (ONNX, which has no magic number, and odd files by extension).</summary>
    public WeightsFormat Format { get; }

    /// <summary>The registry entry (it carries the architecture and preprocessing): the one used by
    /// <see cref="FromCache(string, WeightsCache?, IProgress{long}?, CancellationToken)"/>, or for
    /// <see cref="FromFile"/> the entry whose reference file name the file has (for example
    /// <c>mobilenet_v2-b0353104.pth</c>; matched by name only, not hashed); otherwise null.</summary>
    public KnownWeightsFile? Known { get; }

    /// <summary>Refers to a weights file on disk, detecting its format.</summary>
    /// <param name="path">A <c>.pth</c>/<c>.pt</c> state dict, a <c>.safetensors</c> file or an <c>.onnx</c> model.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is in neither format.</exception>
    public static PretrainedWeights FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Weights file {full} does not exist.", full);
        }
        var known = KnownWeights.All.FirstOrDefault(f => string.Equals(f.FileName, System.IO.Path.GetFileName(full), StringComparison.OrdinalIgnoreCase));
        return new PretrainedWeights(full, DetectFormat(full), known);
    }

    /// <summary>
    /// Refers to a published weights file by registry name (see <see cref="KnownWeights"/>), taking it from the cache
    /// after checking its SHA-256, or downloading it when it is missing and the cache allows downloads.
    /// </summary>
    /// <param name="name">A registry name such as <c>mobilenet_v2</c>, or a reference file name.</param>
    /// <param name="cache">The cache; null uses a <see cref="WeightsCache"/> over its default folder.</param>
    /// <param name="progress">Receives the number of bytes downloaded so far.</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    /// <exception cref="KeyNotFoundException">The name is not in the registry.</exception>
    /// <exception cref="FileNotFoundException">The file is not cached and cannot be downloaded; the message names the
    /// expected file and the folder to put it in.</exception>
    public static PretrainedWeights FromCache(string name, WeightsCache? cache = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        FromCache(KnownWeights.Find(name), cache, progress, cancellationToken);

    /// <summary>Like <see cref="FromCache(string, WeightsCache?, IProgress{long}?, CancellationToken)"/> for an explicit registry entry.</summary>
    /// <param name="file">The entry (it may be one of your own).</param>
    /// <param name="cache">The cache; null uses a <see cref="WeightsCache"/> over its default folder.</param>
    /// <param name="progress">Receives the number of bytes downloaded so far.</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    public static PretrainedWeights FromCache(KnownWeightsFile file, WeightsCache? cache = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        string path = (cache ?? new WeightsCache()).Get(file, progress, cancellationToken);
        return new PretrainedWeights(path, DetectFormat(path), file);
    }

    /// <summary>Reads the tensors, converted to <see cref="float"/>, by name in the file's order.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or truncated (the message names the tensor).</exception>
    /// <exception cref="UnsafePickleException">A PyTorch file's pickle refers to a global that is not allowed.</exception>
    public OrderedDictionary<string, Tensor> Load() => Format switch
    {
        WeightsFormat.SafeTensors => SafeTensors.Read(Path).Tensors,
        WeightsFormat.Onnx => OnnxInitializers.Load(Path).Tensors,
        _ => TorchStateDict.Load(Path).Tensors,
    };

    /// <summary>
    /// Reads the tensors and copies them into <paramref name="targets"/> (a model's parameters and buffers by
    /// state-dict name), checking names and shapes first; see <see cref="StateDictLoader.Load"/>.
    /// </summary>
    /// <param name="targets">The model's tensors by name; overwritten in place.</param>
    /// <param name="strict">When true (default) missing or unexpected names are an error.</param>
    /// <param name="mapSourceName">Optional renaming of the file's names; return null to skip a tensor.</param>
    /// <returns>The names loaded, missing and unexpected.</returns>
    public StateDictLoadResult LoadInto(IEnumerable<KeyValuePair<string, Tensor>> targets, bool strict = true, Func<string, string?>? mapSourceName = null)
    {
        try
        {
            return StateDictLoader.Load(targets, Load(), strict, mapSourceName);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(Path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Weights file {Path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the tensors and copies them into <paramref name="model"/>'s parameters and buffers by state-dict name
    /// (<c>{layer}.{name}</c>), checking every name and shape first; nothing is copied when a check fails.
    /// </summary>
    /// <param name="model">A built model whose layer names follow the file's (PyTorch's) module names.</param>
    /// <param name="strict">When true (default) missing or unexpected names are an error.</param>
    /// <param name="mapSourceName">Optional renaming of the file's names; return null to skip a tensor.</param>
    /// <returns>The names loaded, missing and unexpected.</returns>
    public StateDictLoadResult LoadInto(MLNet.Nets.Models.Model model, bool strict = true, Func<string, string?>? mapSourceName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LoadInto(model.StateDict().Select(w => new KeyValuePair<string, Tensor>(w.Name, w.Value)), strict, mapSourceName);
    }

    /// <summary>Detects a weights file's format from its first bytes, falling back to its extension.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">Neither the content nor the extension identifies a supported format.</exception>
    public static WeightsFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var head = new byte[9];
        int got;
        using (var stream = File.OpenRead(path))
        {
            got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        if (got >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K') return WeightsFormat.PyTorch;
        if (got >= 3 && head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8a) return WeightsFormat.PyTorch;
        if (got == 9 && head[8] == (byte)'{' && System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(head) <= SafeTensors.MaxHeaderBytes) return WeightsFormat.SafeTensors;
        return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".pth" or ".pt" or ".bin" => WeightsFormat.PyTorch,
            ".safetensors" => WeightsFormat.SafeTensors,
            ".onnx" => WeightsFormat.Onnx,
            _ => throw new InvalidDataException(
                $"{path} is not a recognised weights file; supported formats are PyTorch state dicts (.pth/.pt, written by torch.save), .safetensors and .onnx (initializers)."),
        };
    }
}
