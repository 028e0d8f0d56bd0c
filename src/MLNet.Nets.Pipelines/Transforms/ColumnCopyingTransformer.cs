using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Copies columns under new names (values are shared, not duplicated).</summary>
[TransformerLoader("CopyColumns")]
public sealed class ColumnCopyingTransformer : RowToRowTransformer
{
    /// <summary>A transformer copying each (input → output) pair.</summary>
    public ColumnCopyingTransformer(params (string OutputColumnName, string InputColumnName)[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("Give at least one column to copy.");
        Columns = columns;
    }

    /// <summary>The (output, input) pairs.</summary>
    public IReadOnlyList<(string OutputColumnName, string InputColumnName)> Columns { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input) => Columns.Select(pair =>
    {
        var column = RequireColumn(input, pair.InputColumnName, "input");
        return new ColumnBinding(pair.OutputColumnName, column.Type, [column.Index], batch => batch.GetArray(column.Index), column.Annotations);
    }).ToArray();

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.WriteStrings("outputs", Columns.Select(c => c.OutputColumnName));
        context.WriteStrings("inputs", Columns.Select(c => c.InputColumnName));
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ColumnCopyingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outputs = context.ReadStrings("outputs");
        var inputs = context.ReadStrings("inputs");
        if (outputs.Length != inputs.Length) throw new InvalidDataException($"Model file '{context.Source}': CopyColumns has mismatched lists.");
        return new ColumnCopyingTransformer(outputs.Zip(inputs).ToArray());
    }
}
