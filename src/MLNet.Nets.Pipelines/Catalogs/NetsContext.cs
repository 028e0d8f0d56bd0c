using MLNet.Nets.Catalogs;

namespace MLNet.Nets;

/// <summary>
/// The starting point, like ML.NET's <c>MLContext</c>: catalogs for loading data (<see cref="Data"/>), transforms,
/// trainers and evaluation per task, and model files (<see cref="Model"/>). With a seed, every random choice (splits,
/// initial weights, shuffles) is reproducible: components draw their seeds from the context in the order they are made.
/// </summary>
/// <example>
/// <code>
/// var nets = new NetsContext(seed: 0);
/// IDataView data = nets.Data.LoadFromTextFile&lt;HousingRow&gt;("housing.txt", separatorChar: '\t', hasHeader: true);
/// var split = nets.Data.TrainTestSplit(data, testFraction: 0.2);
/// </code>
/// </example>
public sealed class NetsContext
{
    private readonly Random _random;
    private readonly object _gate = new();

    /// <summary>A context; <paramref name="seed"/> makes runs reproducible (null: a different seed each run).</summary>
    public NetsContext(int? seed = null)
    {
        Seed = seed;
        _random = seed is int s ? new Random(s) : new Random();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        Regression = new RegressionCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>The seed given to the constructor.</summary>
    public int? Seed { get; }

    /// <summary>Loading, splitting and reading data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Transforms: column operations, normalizers, conversions, categorical encoding, custom mappings.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Regression trainers, evaluation and cross-validation.</summary>
    public RegressionCatalog Regression { get; }

    /// <summary>Binary classification trainers, evaluation and cross-validation.</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Multiclass classification trainers, evaluation and cross-validation.</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Saving, loading and prediction engines.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>Messages from long-running work (training epochs, stops), for logging.</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>The next component seed: reproducible when the context has a seed.</summary>
    public int NextSeed()
    {
        lock (_gate) return _random.Next();
    }

    internal void WriteLog(string source, string message) => Log?.Invoke(this, new LoggingEventArgs(source, message));
}
