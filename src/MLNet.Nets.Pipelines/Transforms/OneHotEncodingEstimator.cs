using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Learns the categories of a column and encodes each value as an indicator vector (ML.NET's OneHotEncoding).</summary>
public sealed class OneHotEncodingEstimator : IEstimator<OneHotEncodingTransformer>
{
    /// <summary>The encoding written.</summary>
    public enum OutputKind
    {
        /// <summary>One Single slot per category, 1 for the row's category (a vector input: one indicator block per item).</summary>
        Indicator,
        /// <summary>One Single slot per category holding how often it occurs in the row (vector inputs).</summary>
        Bag,
        /// <summary>The key itself.</summary>
        Key,
    }

    private readonly ValueToKeyMappingEstimator _keys;

    internal OneHotEncodingEstimator(string outputColumnName, string inputColumnName, OutputKind kind, int maximumNumberOfKeys, KeyOrdinality ordinality)
    {
        _keys = new ValueToKeyMappingEstimator(outputColumnName, inputColumnName, maximumNumberOfKeys, ordinality, addKeyValueAnnotationsAsText: false);
        Kind = kind;
    }

    /// <summary>The encoding.</summary>
    public OutputKind Kind { get; }

    /// <inheritdoc/>
    public OneHotEncodingTransformer Fit(IDataView input) => new(_keys.Fit(input), Kind);
}
