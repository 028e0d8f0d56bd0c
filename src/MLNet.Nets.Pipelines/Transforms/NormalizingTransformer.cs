using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Applies fitted normalizations; each output column is annotated IsNormalized and with its <see cref="NormalizationParameters"/>.</summary>
[TransformerLoader("Normalize")]
public sealed class NormalizingTransformer : RowToRowTransformer
{
    internal NormalizingTransformer(IReadOnlyList<(string Output, string Input, NormalizationParameters Parameters)> columns) => Columns = columns;

    /// <summary>Per column: output name, input name and the fitted parameters.</summary>
    public IReadOnlyList<(string Output, string Input, NormalizationParameters Parameters)> Columns { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input) => Columns.Select(c =>
    {
        var column = RequireColumn(input, c.Input, "input");
        if (column.Type.Kind != DataKind.Single || column.Type.Size != c.Parameters.Scale.Count)
        {
            throw new ArgumentException($"The column '{c.Input}' must hold {c.Parameters.Scale.Count} Single values but holds {column.Type}.");
        }
        var annotations = column.Annotations.With(DataViewSchema.Annotations.IsNormalizedName, true).With(NormalizationParameters.AnnotationName, c.Parameters);
        int size = column.Type.Size;
        return new ColumnBinding(c.Output, column.Type, [column.Index], batch =>
        {
            var x = batch.GetValues<float>(column.Index);
            var y = new float[x.Length];
            for (int i = 0; i < x.Length; i++) y[i] = c.Parameters.Apply(x[i], i % size);
            return y;
        }, annotations);
    }).ToArray();

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.WriteStrings("outputs", Columns.Select(c => c.Output));
        context.WriteStrings("inputs", Columns.Select(c => c.Input));
        for (int i = 0; i < Columns.Count; i++) Columns[i].Parameters.Save(context, $"c{i}.");
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static NormalizingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outputs = context.ReadStrings("outputs");
        var inputs = context.ReadStrings("inputs");
        if (outputs.Length != inputs.Length) throw new InvalidDataException($"Model file '{context.Source}': a normalizer has mismatched column lists.");
        return new NormalizingTransformer(outputs.Select((o, i) => (o, inputs[i], NormalizationParameters.Load(context, $"c{i}."))).ToArray());
    }
}
