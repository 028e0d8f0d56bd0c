using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// Base of transformers that compute new columns row by row (normalizers, key mapping, trainers' scorers …): a subclass
/// says which columns it adds (<see cref="Bind"/>) and optionally which it removes; the base makes the lazy view.
/// </summary>
public abstract class RowToRowTransformer : ITransformer
{
    /// <summary>The columns this transformer adds to (or replaces in) a view with <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">A column it reads is missing or has the wrong type.</exception>
    protected abstract IReadOnlyList<ColumnBinding> Bind(DataViewSchema input);

    /// <summary>Columns removed from the output; none by default.</summary>
    protected virtual IEnumerable<string>? Dropped(DataViewSchema input) => null;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return MappedDataView.OutputSchema(inputSchema, Bind(inputSchema), Dropped(inputSchema));
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, Bind(input.Schema), Dropped(input.Schema));
    }

    /// <inheritdoc/>
    public abstract void Save(ModelSaveContext context);

    /// <summary>The input column <paramref name="name"/>, checked to exist (the error lists the columns there are).</summary>
    protected static DataViewSchema.Column RequireColumn(DataViewSchema schema, string name, string role)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The {role} column '{name}' is not in the data. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
    }
}
