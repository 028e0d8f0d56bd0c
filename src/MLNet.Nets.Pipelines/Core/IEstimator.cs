using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>An unfitted pipeline step: <see cref="Fit"/> learns its parameters from data and returns the transformer.</summary>
/// <typeparam name="TTransformer">The transformer it produces.</typeparam>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Learns from <paramref name="input"/> and returns the fitted transformer.</summary>
    TTransformer Fit(IDataView input);
}
