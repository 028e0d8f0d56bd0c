using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Reads the normalization of a column from the schema at <see cref="Fit"/> and reverses it on another column.</summary>
public sealed class ReverseNormalizingEstimator : IEstimator<ReverseNormalizingTransformer>
{
    internal ReverseNormalizingEstimator(string outputColumnName, string inputColumnName, string normalizedColumnName)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        NormalizedColumnName = normalizedColumnName;
    }

    /// <summary>The column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The normalized column whose mapping is reversed.</summary>
    public string NormalizedColumnName { get; }

    /// <inheritdoc/>
    public ReverseNormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(NormalizedColumnName)
            ?? throw new ArgumentException($"The normalized column '{NormalizedColumnName}' is not in the data.");
        if (column.Annotations.Get(NormalizationParameters.AnnotationName) is not NormalizationParameters parameters)
        {
            throw new ArgumentException($"The column '{NormalizedColumnName}' was not normalized by a normalizer of this pipeline; there is nothing to reverse.");
        }
        if (!parameters.IsReversible) throw new ArgumentException($"The column '{NormalizedColumnName}' was normalized by {parameters.Mode}, which has no inverse.");
        var transformer = new ReverseNormalizingTransformer(OutputColumnName, InputColumnName, parameters);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }
}
