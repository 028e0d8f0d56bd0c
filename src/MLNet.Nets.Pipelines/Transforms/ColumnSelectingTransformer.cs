using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Keeps only the listed columns (SelectColumns) or removes them (DropColumns).</summary>
[TransformerLoader("SelectColumns")]
public sealed class ColumnSelectingTransformer : RowToRowTransformer
{
    /// <summary>A transformer keeping (<paramref name="keep"/> true) or dropping the listed columns.</summary>
    public ColumnSelectingTransformer(IReadOnlyList<string> columns, bool keep)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("Give at least one column.");
        ColumnNames = columns.ToArray();
        Keep = keep;
    }

    /// <summary>The listed columns.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>True to keep only the listed columns, false to drop them.</summary>
    public bool Keep { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        foreach (var name in ColumnNames) RequireColumn(input, name, Keep ? "selected" : "dropped");
        return [];
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> Dropped(DataViewSchema input) =>
        Keep ? input.Select(c => c.Name).Except(ColumnNames) : ColumnNames;

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.WriteStrings("columns", ColumnNames);
        context.Config["keep"] = Keep;
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ColumnSelectingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ColumnSelectingTransformer(context.ReadStrings("columns"), context.Get<bool>("keep"));
    }
}
