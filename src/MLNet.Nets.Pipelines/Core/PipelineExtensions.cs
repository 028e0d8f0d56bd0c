namespace MLNet.Nets;

/// <summary><c>Append</c> for estimators and transformers, as in ML.NET.</summary>
public static class PipelineExtensions
{
    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="next"/>.</summary>
    public static EstimatorChain<TNext> Append<TNext>(this IEstimator<ITransformer> start, IEstimator<TNext> next) where TNext : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(next);
        if (start is IChainAppendable chain) return chain.AppendStep(next);
        return new EstimatorChain<TNext>([start, next], [false, false]);
    }

    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="next"/>.</summary>
    public static TransformerChain<TNext> Append<TNext>(this ITransformer start, TNext next) where TNext : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(next);
        return start is IEnumerable<ITransformer> steps and not RowToRowTransformer
            ? new TransformerChain<TNext>([.. steps, next])
            : new TransformerChain<TNext>(start, next);
    }
}
