using MLNet.Nets.Data;

namespace MLNet.Nets.Catalogs;

/// <summary>Model files and prediction engines.</summary>
public sealed class ModelOperationsCatalog : CatalogBase
{
    internal ModelOperationsCatalog(NetsContext context) : base(context) { }

    /// <summary>
    /// Saves a fitted model (a whole chain: normalizer parameters, key-value maps, networks) with the schema of the data it
    /// takes, as one versioned <c>.zip</c>, written atomically (an earlier file survives a failure).
    /// </summary>
    public void Save(ITransformer model, DataViewSchema? inputSchema, string filePath) => PipelineArchive.Save(model, inputSchema, filePath);

    /// <summary>Saves a fitted model to a stream.</summary>
    public void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream) => PipelineArchive.Save(model, inputSchema, stream);

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema?, string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, not a model, or from a newer version (the message says which).</exception>
    public ITransformer Load(string filePath, out DataViewSchema? inputSchema) => PipelineArchive.Load(filePath, out inputSchema);

    /// <summary>Loads a model from a stream.</summary>
    public ITransformer Load(Stream stream, out DataViewSchema? inputSchema) => PipelineArchive.Load(stream, "stream", out inputSchema);

    /// <summary>An engine that predicts one object at a time (not thread-safe; see <see cref="CreatePredictionEnginePool{TSrc, TDst}"/>).</summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, DataViewSchema? inputSchema = null)
        where TSrc : class where TDst : class, new() => new(transformer, inputSchema);

    /// <summary>A thread-safe pool of prediction engines for services.</summary>
    public PredictionEnginePool<TSrc, TDst> CreatePredictionEnginePool<TSrc, TDst>(ITransformer transformer, DataViewSchema? inputSchema = null)
        where TSrc : class where TDst : class, new() => new(transformer, inputSchema);
}
