namespace MLNet.Nets.Catalogs;

/// <summary>Base of the catalogs: each knows its <see cref="NetsContext"/> (for seeds and logging).</summary>
public abstract class CatalogBase
{
    private protected CatalogBase(NetsContext context) => Context = context ?? throw new ArgumentNullException(nameof(context));

    /// <summary>The context the catalog belongs to.</summary>
    public NetsContext Context { get; }
}
