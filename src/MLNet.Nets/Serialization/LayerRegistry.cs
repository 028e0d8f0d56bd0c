using System.Collections.Concurrent;
using System.Reflection;
using MLNet.Nets.Layers;

namespace MLNet.Nets.Serialization;

/// <summary>
/// Maps the layer type names written in model manifests to factories. Every non-abstract <see cref="Layer"/> subclass
/// with a public static <c>FromConfig(LayerConfig)</c> in a loaded assembly is found by reflection under its class
/// name; <see cref="Register(string, Func{LayerConfig, Layer})"/> adds others (e.g. a custom <see cref="Layer.TypeName"/>).
/// </summary>
public static class LayerRegistry
{
    private static readonly ConcurrentDictionary<string, Func<LayerConfig, Layer>> Factories = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly object ScanLock = new();

    /// <summary>Registers (or replaces) the factory for <paramref name="typeName"/>.</summary>
    public static void Register(string typeName, Func<LayerConfig, Layer> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[typeName] = factory;
    }

    /// <summary>True when a factory for <paramref name="typeName"/> is known.</summary>
    public static bool IsRegistered(string typeName)
    {
        ScanLoadedAssemblies();
        return Factories.ContainsKey(typeName);
    }

    /// <summary>The known type names, sorted.</summary>
    public static IReadOnlyList<string> TypeNames
    {
        get
        {
            ScanLoadedAssemblies();
            return Factories.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Creates a layer of <paramref name="typeName"/> from its configuration.</summary>
    /// <exception cref="InvalidDataException">The type is unknown, or its <c>FromConfig</c> rejects the configuration;
    /// the message names the type.</exception>
    public static Layer Create(string typeName, LayerConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(config);
        if (!Factories.TryGetValue(typeName, out var factory))
        {
            ScanLoadedAssemblies();
            if (!Factories.TryGetValue(typeName, out factory))
            {
                throw new InvalidDataException(
                    $"Unknown layer type '{typeName}'. Known types: {string.Join(", ", TypeNames)}. " +
                    "Load the assembly that defines it, or call LayerRegistry.Register.");
            }
        }
        try
        {
            return factory(config);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"Layer type '{typeName}' could not be created from its configuration {config}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The <see cref="Layer.TypeName"/> a type reports when it overrides it (e.g. ActivationLayer → "Activation"), read
    /// from an uninitialised instance: overrides are constant expressions, and one that is not is simply skipped.
    /// </summary>
    private static string? DeclaredTypeName(Type type)
    {
        var property = type.GetProperty(nameof(Layer.TypeName));
        if (property?.GetMethod?.DeclaringType == typeof(Layer)) return null;
        try
        {
            var instance = (Layer)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
            return instance.TypeName;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static void ScanLoadedAssemblies()
    {
        lock (ScanLock)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic || !Scanned.Add(assembly)) continue;
                if (assembly != typeof(Layer).Assembly && !assembly.GetReferencedAssemblies().Any(r => r.Name == typeof(Layer).Assembly.GetName().Name))
                {
                    continue;
                }
                Type[] types;
                try
                {
                    types = assembly.GetTypes();
                }
                catch (ReflectionTypeLoadException e)
                {
                    types = e.Types.Where(t => t is not null).ToArray()!;
                }
                foreach (var type in types)
                {
                    if (type.IsAbstract || !typeof(Layer).IsAssignableFrom(type)) continue;
                    var method = type.GetMethod("FromConfig", BindingFlags.Public | BindingFlags.Static, [typeof(LayerConfig)]);
                    if (method is null || !typeof(Layer).IsAssignableFrom(method.ReturnType)) continue;
                    var factory = method.CreateDelegate<Func<LayerConfig, Layer>>();
                    Factories.TryAdd(type.Name, factory);
                    if (DeclaredTypeName(type) is { } declared && declared != type.Name) Factories.TryAdd(declared, factory);
                }
            }
        }
    }
}
