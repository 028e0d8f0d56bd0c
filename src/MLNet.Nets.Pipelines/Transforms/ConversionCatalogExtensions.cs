using MLNet.Nets.Catalogs;
using MLNet.Nets.Transforms;

namespace MLNet.Nets;

/// <summary>Key mapping on <c>nets.Transforms.Conversion</c>, with ML.NET's names and defaults.</summary>
public static class ConversionCatalogExtensions
{
    /// <summary>Maps the values of <paramref name="inputColumnName"/> to keys in <paramref name="outputColumnName"/>.</summary>
    /// <param name="catalog">The conversion catalog.</param>
    /// <param name="outputColumnName">The key column to write.</param>
    /// <param name="inputColumnName">The value column to read; default the output column.</param>
    /// <param name="maximumNumberOfKeys">Most categories kept. Default 1,000,000.</param>
    /// <param name="keyOrdinality">By first occurrence (default) or by value.</param>
    /// <param name="addKeyValueAnnotationsAsText">Store the categories as text. Default false.</param>
    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionCatalog catalog, string outputColumnName, string? inputColumnName = null,
        int maximumNumberOfKeys = 1_000_000, KeyOrdinality keyOrdinality = KeyOrdinality.ByOccurrence, bool addKeyValueAnnotationsAsText = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ValueToKeyMappingEstimator(outputColumnName, inputColumnName ?? outputColumnName, maximumNumberOfKeys, keyOrdinality, addKeyValueAnnotationsAsText);
    }

    /// <summary>Maps the keys of <paramref name="inputColumnName"/> back to their values in <paramref name="outputColumnName"/>.</summary>
    public static TrivialEstimator<KeyToValueMappingTransformer> MapKeyToValue(this TransformsCatalog.ConversionCatalog catalog, string outputColumnName,
        string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new KeyToValueMappingTransformer(outputColumnName, inputColumnName ?? outputColumnName));
    }
}
