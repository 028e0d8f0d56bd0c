using MLNet.Nets.Data;

namespace MLNet.Nets.Evaluation;

/// <summary>One fold of a cross-validation: the model trained without the fold, its metrics on the fold, and the scored fold.</summary>
/// <typeparam name="TMetrics">The metrics type of the task.</typeparam>
/// <param name="Fold">The fold index, 0-based.</param>
/// <param name="Model">The model fitted on the other folds.</param>
/// <param name="Metrics">Its metrics on this fold.</param>
/// <param name="ScoredHoldOutSet">This fold's rows as scored by <paramref name="Model"/>.</param>
public sealed record CrossValidationResult<TMetrics>(int Fold, ITransformer Model, TMetrics Metrics, IDataView ScoredHoldOutSet) where TMetrics : class;
