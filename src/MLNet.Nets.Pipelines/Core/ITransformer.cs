using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// A fitted step of a pipeline: maps a data view to a new (lazy) data view. Every transformer saves into the model
/// file (see <see cref="ModelSaveContext"/>); its class carries <see cref="TransformerLoaderAttribute"/> so that
/// <see cref="Catalogs.ModelOperationsCatalog.Load(string, out DataViewSchema?)"/> can rebuild it.
/// </summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> would produce from an input with <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentException">The input lacks a column the transformer reads, or has the wrong type (the message names it).</exception>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>The transformed view; columns are computed lazily, batch by batch, as they are read.</summary>
    IDataView Transform(IDataView input);

    /// <summary>Writes the transformer's parameters.</summary>
    void Save(ModelSaveContext context);
}
