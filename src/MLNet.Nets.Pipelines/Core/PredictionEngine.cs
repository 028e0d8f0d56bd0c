using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// Runs a fitted model on one object at a time: <see cref="Predict(TSrc)"/> maps a <typeparamref name="TSrc"/> through
/// the pipeline and returns a <typeparamref name="TDst"/> filled from the output columns of the same names. An engine
/// reuses its buffers and is not thread-safe; services use <see cref="PredictionEnginePool{TSrc, TDst}"/>.
/// </summary>
/// <typeparam name="TSrc">The input row class (members named like the model's input columns).</typeparam>
/// <typeparam name="TDst">The output row class (members such as <c>Score</c>, <c>PredictedLabel</c>, <c>Probability</c>).</typeparam>
public sealed class PredictionEngine<TSrc, TDst> where TSrc : class where TDst : class, new()
{
    private readonly TSrc[] _current = new TSrc[1];
    private readonly IDataView _output;
    private readonly RowReader<TDst> _reader;
    private readonly int[] _columns;

    /// <summary>An engine for <paramref name="transformer"/>; <paramref name="inputSchema"/> (from the model file) gives vector sizes and key types.</summary>
    /// <exception cref="ArgumentException">The input or output class does not fit the model's columns (the message names the member).</exception>
    public PredictionEngine(ITransformer transformer, DataViewSchema? inputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var input = new EnumerableDataView<TSrc>(_current, InputSchema(inputSchema));
        _output = transformer.Transform(input);
        _reader = new RowReader<TDst>(_output.Schema, ignoreMissingColumns: false);
        _columns = _reader.Columns;
        OutputSchema = _output.Schema;
    }

    /// <summary>The schema of the model's output.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>The prediction for <paramref name="example"/>.</summary>
    public TDst Predict(TSrc example)
    {
        var result = new TDst();
        Predict(example, result);
        return result;
    }

    /// <summary>Writes the prediction for <paramref name="example"/> into <paramref name="prediction"/>.</summary>
    public void Predict(TSrc example, TDst prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(prediction);
        _current[0] = example;
        try
        {
            foreach (var batch in _output.GetBatches(_columns, 1)) _reader.Fill(batch, 0, prediction);
        }
        finally
        {
            _current[0] = null!;
        }
    }

    private static DataViewSchema? InputSchema(DataViewSchema? saved)
    {
        if (saved is null) return null;
        var members = RowMember.Of(typeof(TSrc));
        var columns = new List<(string, DataViewType, DataViewSchema.Annotations?)>();
        foreach (var m in members)
        {
            var column = saved.GetColumnOrNull(m.Name);
            var type = column is not null && column.Type.Kind == m.Kind && column.Type.IsVector == m.IsArray ? column.Type : m.DeclaredType()
                ?? throw new ArgumentException($"{typeof(TSrc).Name}.{m.Name} is an array of unknown length: mark it [VectorType(length)].");
            columns.Add((m.Name, type, column?.Annotations));
        }
        return new DataViewSchema(columns);
    }
}
