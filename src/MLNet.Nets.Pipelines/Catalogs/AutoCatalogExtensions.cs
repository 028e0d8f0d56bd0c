using MLNet.Nets.AutoML;

namespace MLNet.Nets;

/// <summary><c>nets.Auto()</c>.</summary>
public static class AutoCatalogExtensions
{
    /// <summary>The AutoML catalog of <paramref name="context"/>.</summary>
    public static AutoCatalog Auto(this NetsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AutoCatalog(context);
    }
}
