using System.Collections.Concurrent;
using System.Reflection;

namespace MLNet.Nets;

/// <summary>
/// Maps the transformer names written in model files to their loaders. The library's own transformers are found by
/// their <see cref="TransformerLoaderAttribute"/>; others (for example a <c>CustomMapping</c> action) are added with
/// <see cref="Register"/>. A name that is not registered is rejected: a model file never chooses which code runs.
/// </summary>
public static class TransformerRegistry
{
    private static readonly ConcurrentDictionary<string, Func<ModelLoadContext, ITransformer>> Loaders = Discover();

    /// <summary>Registers (or replaces) the loader for <paramref name="name"/>.</summary>
    public static void Register(string name, Func<ModelLoadContext, ITransformer> loader)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(loader);
        Loaders[name] = loader;
    }

    /// <summary>The name the type <paramref name="transformerType"/> is saved under.</summary>
    /// <exception cref="InvalidOperationException">The type has no <see cref="TransformerLoaderAttribute"/>.</exception>
    public static string NameOf(Type transformerType)
    {
        ArgumentNullException.ThrowIfNull(transformerType);
        var definition = transformerType.IsGenericType ? transformerType.GetGenericTypeDefinition() : transformerType;
        return definition.GetCustomAttribute<TransformerLoaderAttribute>()?.Name
            ?? throw new InvalidOperationException($"{transformerType.Name} cannot be saved: it has no [TransformerLoader] name.");
    }

    internal static ITransformer Create(string name, ModelLoadContext context)
    {
        if (!Loaders.TryGetValue(name, out var loader))
        {
            throw new InvalidDataException($"Model file '{context.Source}': unknown transformer '{name}'. If it is a custom mapping, register it with TransformerRegistry.Register before loading.");
        }
        return loader(context);
    }

    private static ConcurrentDictionary<string, Func<ModelLoadContext, ITransformer>> Discover()
    {
        var map = new ConcurrentDictionary<string, Func<ModelLoadContext, ITransformer>>(StringComparer.Ordinal);
        foreach (var declared in typeof(TransformerRegistry).Assembly.GetTypes())
        {
            var type = declared;
            var attribute = type.GetCustomAttribute<TransformerLoaderAttribute>();
            if (attribute is null) continue;
            if (type.IsGenericTypeDefinition)
            {
                // The chain loads through its closed form over ITransformer; other generic transformers register their loader below.
                if (type.GetGenericArguments().Length != 1) continue;
                type = type.MakeGenericType(typeof(ITransformer));
            }
            var load = type.GetMethod("Load", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(ModelLoadContext)])
                ?? throw new InvalidOperationException($"{type.Name} has [TransformerLoader] but no static Load(ModelLoadContext).");
            var loader = (Func<ModelLoadContext, ITransformer>)Delegate.CreateDelegate(typeof(Func<ModelLoadContext, ITransformer>), load);
            if (!map.TryAdd(attribute.Name, loader))
            {
                throw new InvalidOperationException($"Two transformers are named '{attribute.Name}'.");
            }
        }
        map["CustomMapping"] = ctx => Transforms.CustomMappingRegistry.Create(ctx.Get<string>("contract"), ctx.Source);
        return map;
    }
}
