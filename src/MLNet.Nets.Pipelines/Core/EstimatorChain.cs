using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// Pipeline steps to fit in order (made with <c>Append</c>): each step is fitted on the data as transformed by the
/// steps before it. Fitting returns a <see cref="TransformerChain{TLastTransformer}"/>.
/// </summary>
/// <typeparam name="TLastTransformer">The transformer the last step produces.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>, IChainAppendable
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _steps;
    private readonly bool[] _cacheBefore;
    private readonly bool _cacheNext;

    internal EstimatorChain(IEstimator<ITransformer>[] steps, bool[] cacheBefore, bool cacheNext = false)
    {
        _steps = steps;
        _cacheBefore = cacheBefore;
        _cacheNext = cacheNext;
    }

    /// <summary>The steps.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Steps => _steps;

    /// <summary>This chain followed by <paramref name="next"/>.</summary>
    public EstimatorChain<TNext> Append<TNext>(IEstimator<TNext> next) where TNext : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(next);
        return new EstimatorChain<TNext>([.. _steps, next], [.. _cacheBefore, _cacheNext]);
    }

    EstimatorChain<TNext> IChainAppendable.AppendStep<TNext>(IEstimator<TNext> next) => Append(next);

    /// <summary>
    /// Caches the data in memory at this point while fitting, so that the steps after it (typically a trainer that reads
    /// the data many times) do not recompute the steps before it. Has no effect on the fitted model.
    /// </summary>
    public EstimatorChain<TLastTransformer> AppendCacheCheckpoint() => new(_steps, _cacheBefore, cacheNext: true);

    /// <inheritdoc/>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fitted = new ITransformer[_steps.Length];
        var data = input;
        for (int i = 0; i < _steps.Length; i++)
        {
            if (_cacheBefore[i]) data = data.Cache();
            fitted[i] = _steps[i].Fit(data);
            if (i + 1 < _steps.Length) data = fitted[i] is ITrainingTimeTransformer augment ? augment.TransformForTraining(data) : fitted[i].Transform(data);
        }
        return new TransformerChain<TLastTransformer>(fitted);
    }
}

/// <summary>Lets <see cref="PipelineExtensions.Append{TNext}(IEstimator{ITransformer}, IEstimator{TNext})"/> extend a chain whose type it does not know.</summary>
internal interface IChainAppendable
{
    EstimatorChain<TNext> AppendStep<TNext>(IEstimator<TNext> next) where TNext : class, ITransformer;
}
