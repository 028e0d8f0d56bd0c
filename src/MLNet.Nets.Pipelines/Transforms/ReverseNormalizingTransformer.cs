using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>
/// Maps values in normalized units back to the original units of a normalized column — MATLAB's
/// <c>mapminmax('reverse', …)</c>: e.g. a regression <c>Score</c> predicted for a normalized label.
/// </summary>
[TransformerLoader("ReverseNormalize")]
public sealed class ReverseNormalizingTransformer : RowToRowTransformer
{
    internal ReverseNormalizingTransformer(string outputColumnName, string inputColumnName, NormalizationParameters parameters)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Parameters = parameters;
    }

    /// <summary>The column written (original units).</summary>
    public string OutputColumnName { get; }
    /// <summary>The column read (normalized units).</summary>
    public string InputColumnName { get; }
    /// <summary>The normalization reversed.</summary>
    public NormalizationParameters Parameters { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "input");
        int size = Parameters.Scale.Count;
        if (column.Type.Kind != DataKind.Single || column.Type.Size != size)
        {
            throw new ArgumentException($"The column '{InputColumnName}' must hold {size} Single values to reverse the normalization but holds {column.Type}.");
        }
        return [new ColumnBinding(OutputColumnName, column.Type, [column.Index], batch =>
        {
            var y = batch.GetValues<float>(column.Index);
            var x = new float[y.Length];
            for (int i = 0; i < y.Length; i++) x[i] = Parameters.Reverse(y[i], i % size);
            return x;
        })];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        Parameters.Save(context, "p.");
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ReverseNormalizingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ReverseNormalizingTransformer(context.Get<string>("output"), context.Get<string>("input"), NormalizationParameters.Load(context, "p."));
    }
}
