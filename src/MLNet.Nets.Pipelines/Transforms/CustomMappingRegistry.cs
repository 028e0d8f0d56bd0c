using System.Collections.Concurrent;

namespace MLNet.Nets.Transforms;

/// <summary>The actions of custom mappings, by contract name, so that models holding them can be loaded.</summary>
public static class CustomMappingRegistry
{
    private static readonly ConcurrentDictionary<string, Func<ITransformer>> Factories = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="mapping"/> under <paramref name="contractName"/> (call before loading a model that uses it).</summary>
    public static void Register<TSrc, TDst>(string contractName, Action<TSrc, TDst> mapping) where TSrc : class, new() where TDst : class, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(contractName);
        ArgumentNullException.ThrowIfNull(mapping);
        Factories[contractName] = () => new CustomMappingTransformer<TSrc, TDst>(mapping, contractName);
    }

    internal static ITransformer Create(string contractName, string source) =>
        Factories.TryGetValue(contractName, out var factory) ? factory()
        : throw new InvalidDataException($"Model file '{source}' uses the custom mapping '{contractName}', which is not registered; call CustomMappingRegistry.Register(\"{contractName}\", action) before loading.");
}
