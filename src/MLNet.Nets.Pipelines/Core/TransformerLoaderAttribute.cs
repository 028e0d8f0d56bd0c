namespace MLNet.Nets;

/// <summary>
/// Names a transformer in model files. The class must have a public static <c>Load(ModelLoadContext)</c> method that
/// returns the transformer. Only types of this library's pipeline assemblies and types registered with
/// <see cref="TransformerRegistry.Register"/> are ever created from a model file.
/// </summary>
/// <param name="name">The name written into model files; unique.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TransformerLoaderAttribute(string name) : Attribute
{
    /// <summary>The name written into model files.</summary>
    public string Name { get; } = name;
}
