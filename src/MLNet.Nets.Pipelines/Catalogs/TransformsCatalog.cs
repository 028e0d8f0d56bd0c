namespace MLNet.Nets.Catalogs;

/// <summary>
/// The transforms: column operations and normalizers are extension methods on this catalog (type
/// <c>nets.Transforms.</c> to see them); <see cref="Conversion"/> and <see cref="Categorical"/> group the rest.
/// </summary>
public sealed class TransformsCatalog : CatalogBase
{
    internal TransformsCatalog(NetsContext context) : base(context)
    {
        Conversion = new ConversionCatalog(context);
        Categorical = new CategoricalCatalog(context);
    }

    /// <summary>Type conversions and key mapping (<c>MapValueToKey</c>, <c>MapKeyToValue</c>).</summary>
    public ConversionCatalog Conversion { get; }

    /// <summary>Categorical encodings (<c>OneHotEncoding</c>).</summary>
    public CategoricalCatalog Categorical { get; }

    /// <summary>Conversion transforms.</summary>
    public sealed class ConversionCatalog : CatalogBase
    {
        internal ConversionCatalog(NetsContext context) : base(context) { }
    }

    /// <summary>Categorical transforms.</summary>
    public sealed class CategoricalCatalog : CatalogBase
    {
        internal CategoricalCatalog(NetsContext context) : base(context) { }
    }
}
