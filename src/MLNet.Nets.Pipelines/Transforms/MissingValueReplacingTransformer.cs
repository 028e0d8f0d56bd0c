using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Replaces NaN with the learned per-slot values.</summary>
[TransformerLoader("ReplaceMissingValues")]
public sealed class MissingValueReplacingTransformer : RowToRowTransformer
{
    private readonly float[] _replacement;

    internal MissingValueReplacingTransformer(string outputColumnName, string inputColumnName, float[] replacement)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _replacement = replacement;
    }

    /// <summary>The column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The value that replaces NaN in each slot.</summary>
    public IReadOnlyList<float> Replacement => _replacement;

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "input");
        int size = _replacement.Length;
        if (column.Type.Kind != DataKind.Single || column.Type.Size != size)
        {
            throw new ArgumentException($"The column '{InputColumnName}' must hold {size} Single values but holds {column.Type}.");
        }
        return [new ColumnBinding(OutputColumnName, column.Type, [column.Index], batch =>
        {
            var x = batch.GetValues<float>(column.Index);
            var y = new float[x.Length];
            for (int i = 0; i < x.Length; i++) y[i] = float.IsNaN(x[i]) ? _replacement[i % size] : x[i];
            return y;
        }, column.Annotations)];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        context.WriteArray<float>("replacement", _replacement);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static MissingValueReplacingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new MissingValueReplacingTransformer(context.Get<string>("output"), context.Get<string>("input"), context.ReadArray<float>("replacement"));
    }
}
