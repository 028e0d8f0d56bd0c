using MLNet.Nets.Catalogs;
using MLNet.Nets.Transforms;

namespace MLNet.Nets;

/// <summary>Column operations, normalizers, missing values and custom mappings on <c>nets.Transforms</c> (ML.NET's names and defaults).</summary>
public static class TransformsCatalogExtensions
{
    /// <summary>Concatenates columns of one item type into the vector column <paramref name="outputColumnName"/>.</summary>
    public static TrivialEstimator<ColumnConcatenatingTransformer> Concatenate(this TransformsCatalog catalog, string outputColumnName, params string[] inputColumnNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ColumnConcatenatingTransformer(outputColumnName, inputColumnNames));
    }

    /// <summary>Copies <paramref name="inputColumnName"/> to <paramref name="outputColumnName"/>.</summary>
    public static TrivialEstimator<ColumnCopyingTransformer> CopyColumns(this TransformsCatalog catalog, string outputColumnName, string inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ColumnCopyingTransformer((outputColumnName, inputColumnName)));
    }

    /// <summary>Removes the listed columns.</summary>
    public static TrivialEstimator<ColumnSelectingTransformer> DropColumns(this TransformsCatalog catalog, params string[] columnNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ColumnSelectingTransformer(columnNames, keep: false));
    }

    /// <summary>Keeps only the listed columns.</summary>
    public static TrivialEstimator<ColumnSelectingTransformer> SelectColumns(this TransformsCatalog catalog, params string[] columnNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(new ColumnSelectingTransformer(columnNames, keep: true));
    }

    /// <summary>
    /// Min-max normalization as ML.NET: with <paramref name="fixZero"/> (default) x / max(|min|, |max|), else
    /// (x − min) / (max − min); a constant slot maps to 0.
    /// </summary>
    public static NormalizingEstimator NormalizeMinMax(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        long maximumExampleCount = 1_000_000_000, bool fixZero = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(NormalizationMode.MinMax, [(outputColumnName, inputColumnName ?? outputColumnName)], maximumExampleCount, fixZero, null, false);
    }

    /// <summary>
    /// Min-max normalization onto [<paramref name="rangeMin"/>, <paramref name="rangeMax"/>], as MATLAB's <c>mapminmax</c>
    /// (e.g. −1, 1): (x − min)·(rangeMax − rangeMin)/(max − min) + rangeMin; a constant slot maps to the middle of the range.
    /// Reversible with <see cref="ReverseNormalize"/>.
    /// </summary>
    public static NormalizingEstimator NormalizeMinMax(this TransformsCatalog catalog, string columnName, double rangeMin, double rangeMax, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(NormalizationMode.MinMax, [(columnName, inputColumnName ?? columnName)], long.MaxValue, false, (rangeMin, rangeMax), false);
    }

    /// <summary>Mean-variance normalization: (x − mean)/std, or x/std with <paramref name="fixZero"/> (ML.NET's default); std is the population one.</summary>
    public static NormalizingEstimator NormalizeMeanVariance(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        long maximumExampleCount = 1_000_000_000, bool fixZero = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(NormalizationMode.MeanVariance, [(outputColumnName, inputColumnName ?? outputColumnName)], maximumExampleCount, fixZero, null, false);
    }

    /// <summary>Log-normal normalization: z = (ln x − mean)/std of ln x over positive values; with <paramref name="useCdf"/> (default) Φ(z).</summary>
    public static NormalizingEstimator NormalizeLogMeanVariance(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        long maximumExampleCount = 1_000_000_000, bool useCdf = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(NormalizationMode.LogMeanVariance, [(outputColumnName, inputColumnName ?? outputColumnName)], maximumExampleCount, false, null, useCdf);
    }

    /// <summary>
    /// Maps <paramref name="inputColumnName"/> (in the normalized units of <paramref name="normalizedColumnName"/>) back to that
    /// column's original units — MATLAB's <c>mapminmax('reverse')</c>, e.g. for a regression score trained on a normalized label.
    /// </summary>
    public static ReverseNormalizingEstimator ReverseNormalize(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, string normalizedColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(outputColumnName, inputColumnName, normalizedColumnName);
    }

    /// <summary>Replaces NaN by 0 (ML.NET's default), or the per-slot mean, minimum or maximum.</summary>
    public static MissingValueReplacingEstimator ReplaceMissingValues(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        MissingValueReplacingEstimator.ReplacementMode replacementMode = MissingValueReplacingEstimator.ReplacementMode.DefaultValue)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(outputColumnName, inputColumnName ?? outputColumnName, replacementMode);
    }

    /// <summary>A row-by-row user action from <typeparamref name="TSrc"/> to <typeparamref name="TDst"/>; give a contract name to save it.</summary>
    public static TrivialEstimator<CustomMappingTransformer<TSrc, TDst>> CustomMapping<TSrc, TDst>(this TransformsCatalog catalog, Action<TSrc, TDst> mapping,
        string? contractName) where TSrc : class, new() where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (contractName is not null) CustomMappingRegistry.Register(contractName, mapping);
        return new(new CustomMappingTransformer<TSrc, TDst>(mapping, contractName));
    }

    /// <summary>One-hot encodes a column's categories (indicator vector with the categories as slot names; Bag for vectors; or Key).</summary>
    public static OneHotEncodingEstimator OneHotEncoding(this TransformsCatalog.CategoricalCatalog catalog, string outputColumnName, string? inputColumnName = null,
        OneHotEncodingEstimator.OutputKind outputKind = OneHotEncodingEstimator.OutputKind.Indicator, int maximumNumberOfKeys = 1_000_000,
        KeyOrdinality keyOrdinality = KeyOrdinality.ByOccurrence)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(outputColumnName, inputColumnName ?? outputColumnName, outputKind, maximumNumberOfKeys, keyOrdinality);
    }
}
