using MLNet.Nets.Tensors;

namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// Copies a state dict (name → tensor, as read by <see cref="TorchStateDict"/>, <see cref="PretrainedWeights"/> or
/// safetensors) into a model's named parameters and buffers, checking every name and shape first, like PyTorch's
/// <c>load_state_dict</c>.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Checks that every source tensor fits its target and then copies them. Nothing is copied unless all checks pass,
    /// so a failed load leaves the model as it was.
    /// </summary>
    /// <param name="targets">The model's tensors by state-dict name (parameters and buffers such as
    /// <c>features.1.running_mean</c>); their contents are overwritten in place.</param>
    /// <param name="source">The loaded tensors by name.</param>
    /// <param name="strict">When true (the default) a target without a source tensor or a source tensor without a target
    /// is an error; when false they are reported in the result. Batch norm's <c>num_batches_tracked</c> counter is never
    /// required: a model that has no such buffer simply ignores it.</param>
    /// <param name="mapSourceName">Optional renaming of source names (for example stripping <c>module.</c>); return
    /// null to skip a tensor.</param>
    /// <returns>The names loaded, missing and unexpected.</returns>
    /// <exception cref="InvalidDataException">A shape differs (the message names every mismatching tensor with both
    /// shapes), or, when <paramref name="strict"/>, names are missing or unexpected (all are listed).</exception>
    public static StateDictLoadResult Load(
        IEnumerable<KeyValuePair<string, Tensor>> targets,
        IEnumerable<KeyValuePair<string, Tensor>> source,
        bool strict = true,
        Func<string, string?>? mapSourceName = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(source);
        var targetList = targets.ToList();
        var targetNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in targetList)
        {
            if (!targetNames.Add(name)) throw new ArgumentException($"The model names '{name}' twice.", nameof(targets));
        }

        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var (original, tensor) in source)
        {
            string? name = mapSourceName is null ? original : mapSourceName(original);
            if (name is null) continue;
            if (!mapped.TryAdd(name, tensor))
            {
                throw new InvalidDataException($"Source tensors '{original}' and another one both map to '{name}'.");
            }
            if (!targetNames.Contains(name) && !name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) unexpected.Add(name);
        }

        var missing = new List<string>();
        var mismatches = new List<string>();
        var loaded = new List<string>();
        foreach (var (name, target) in targetList)
        {
            if (!mapped.TryGetValue(name, out var tensor))
            {
                if (!name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) missing.Add(name);
                continue;
            }
            if (!tensor.Shape.SequenceEqual(target.Shape))
            {
                mismatches.Add($"'{name}': the weights have shape {tensor.ShapeString} but the model expects {target.ShapeString}");
                continue;
            }
            loaded.Add(name);
        }
        if (mismatches.Count > 0)
        {
            throw new InvalidDataException(
                $"{mismatches.Count} tensor(s) do not fit the model: {string.Join("; ", mismatches.Take(20))}{(mismatches.Count > 20 ? "; …" : "")}.");
        }
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
        {
            throw new InvalidDataException(
                "The weights do not match the model's names." +
                (missing.Count > 0 ? $" Missing from the weights ({missing.Count}): {List(missing)}." : "") +
                (unexpected.Count > 0 ? $" Not in the model ({unexpected.Count}): {List(unexpected)}." : "") +
                " Pass strict: false to load the tensors that match.");
        }
        var byName = targetList.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (string name in loaded)
        {
            mapped[name].Span.CopyTo(byName[name].Span);
        }
        return new StateDictLoadResult(loaded, missing, unexpected);
    }

    private static string List(List<string> names) =>
        string.Join(", ", names.Take(20).Select(n => $"'{n}'")) + (names.Count > 20 ? ", …" : "");
}
