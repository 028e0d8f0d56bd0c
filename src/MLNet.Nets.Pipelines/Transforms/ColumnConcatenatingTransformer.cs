using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>
/// Concatenates scalar and vector columns of one item kind (typically Single) into one vector column, in the order
/// given; the output's slot names are the input names (or their slot names for vectors).
/// </summary>
[TransformerLoader("Concatenate")]
public sealed class ColumnConcatenatingTransformer : RowToRowTransformer
{
    /// <summary>A transformer writing <paramref name="outputColumnName"/> from <paramref name="inputColumnNames"/>.</summary>
    public ColumnConcatenatingTransformer(string outputColumnName, params string[] inputColumnNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentNullException.ThrowIfNull(inputColumnNames);
        if (inputColumnNames.Length == 0) throw new ArgumentException("Give at least one column to concatenate.");
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames;
    }

    /// <summary>The vector column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The columns read, in order.</summary>
    public IReadOnlyList<string> InputColumnNames { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var columns = InputColumnNames.Select(n => RequireColumn(input, n, "input")).ToArray();
        var item = columns[0].Type.ItemType;
        foreach (var c in columns)
        {
            if (!c.Type.ItemType.Equals(item)) throw new ArgumentException($"Concatenate needs one item type: '{columns[0].Name}' holds {item} but '{c.Name}' holds {c.Type.ItemType}.");
            if (c.Type.Kind == DataKind.Image) throw new ArgumentException($"Column '{c.Name}' holds images, which cannot be concatenated.");
        }
        int size = columns.Sum(c => c.Type.Size);
        var slots = columns.SelectMany(c => c.Type.IsVector
            ? Enumerable.Range(0, c.Type.Size).Select(s => c.Annotations.SlotNames is { } n && s < n.Count ? n[s] : $"{c.Name}[{s}]")
            : [c.Name]).ToArray();
        return [new ColumnBinding(OutputColumnName, new VectorDataViewType(item, size), columns.Select(c => c.Index).ToArray(), batch =>
        {
            var result = item.CreateArray(batch.RowCount * size);
            int at = 0;
            foreach (var c in columns)
            {
                var source = batch.GetArray(c.Index);
                int width = c.Type.Size;
                for (int r = 0; r < batch.RowCount; r++) Array.Copy(source, (long)r * width, result, (long)r * size + at, width);
                at += width;
            }
            return result;
        }, DataViewSchema.Annotations.ForSlotNames(slots))];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.WriteStrings("inputs", InputColumnNames);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ColumnConcatenatingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ColumnConcatenatingTransformer(context.Get<string>("output"), context.ReadStrings("inputs"));
    }
}
