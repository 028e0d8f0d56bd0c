namespace MLNet.Nets.Vision.Weights;

/// <summary>What <see cref="StateDictLoader.Load"/> copied and what it could not match.</summary>
public sealed class StateDictLoadResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="loaded">Target names that received a tensor.</param>
    /// <param name="missing">Target names with no tensor in the source.</param>
    /// <param name="unexpected">Source names (after mapping) with no target.</param>
    public StateDictLoadResult(IReadOnlyList<string> loaded, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected)
    {
        Loaded = loaded;
        Missing = missing;
        Unexpected = unexpected;
    }

    /// <summary>Target names that received a tensor, in target order.</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>Target names the source had no tensor for (they keep their values).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Source names (after mapping) that match no target.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Loaded.Count} loaded, {Missing.Count} missing, {Unexpected.Count} unexpected";
}
