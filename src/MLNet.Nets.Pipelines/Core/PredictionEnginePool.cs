using System.Collections.Concurrent;
using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// A thread-safe pool of <see cref="PredictionEngine{TSrc, TDst}"/>s over one model, for services: each call rents an
/// engine (making one when all are busy), predicts, and returns it. Engines share the model's weights.
/// </summary>
public sealed class PredictionEnginePool<TSrc, TDst> where TSrc : class where TDst : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TSrc, TDst>> _idle = [];
    private readonly ITransformer _model;
    private readonly DataViewSchema? _inputSchema;

    /// <summary>A pool for <paramref name="model"/>; the first engine is made at once so that schema errors show here.</summary>
    public PredictionEnginePool(ITransformer model, DataViewSchema? inputSchema = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _inputSchema = inputSchema;
        _idle.Add(new PredictionEngine<TSrc, TDst>(model, inputSchema));
    }

    /// <summary>The prediction for <paramref name="example"/>; safe to call from many threads.</summary>
    public TDst Predict(TSrc example)
    {
        if (!_idle.TryTake(out var engine)) engine = new PredictionEngine<TSrc, TDst>(_model, _inputSchema);
        try
        {
            return engine.Predict(example);
        }
        finally
        {
            _idle.Add(engine);
        }
    }
}
