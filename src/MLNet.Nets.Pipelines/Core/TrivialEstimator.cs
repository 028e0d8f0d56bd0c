using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>An estimator with nothing to learn: <see cref="Fit"/> returns the transformer it was made with.</summary>
/// <typeparam name="TTransformer">The transformer.</typeparam>
public sealed class TrivialEstimator<TTransformer>(TTransformer transformer) : IEstimator<TTransformer> where TTransformer : class, ITransformer
{
    /// <summary>The transformer <see cref="Fit"/> returns.</summary>
    public TTransformer Transformer { get; } = transformer ?? throw new ArgumentNullException(nameof(transformer));

    /// <inheritdoc/>
    /// <remarks>Checks that the input has the columns the transformer reads.</remarks>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }
}
