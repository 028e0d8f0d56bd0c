namespace MLNet.Nets.Data;

/// <summary>
/// A table of rows with a <see cref="Schema"/>, read in column-wise batches. Views are lazy: a transformed view
/// computes its columns batch by batch as a cursor reads them, so a data set larger than memory streams through.
/// Reading a view twice gives the same rows in the same order.
/// </summary>
public interface IDataView
{
    /// <summary>The columns.</summary>
    DataViewSchema Schema { get; }

    /// <summary>The number of rows when it is known without reading the data, otherwise null.</summary>
    long? GetRowCount();

    /// <summary>
    /// Reads the rows in order, <paramref name="batchSize"/> at a time (the last batch may be shorter).
    /// </summary>
    /// <param name="columnsNeeded">Indices of the columns to compute; null for all. Other columns are null in the batches.</param>
    /// <param name="batchSize">Rows per batch, ≥ 1; default <see cref="DataBatch.DefaultSize"/>.</param>
    /// <param name="cancellationToken">Stops the reading between batches.</param>
    IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
        CancellationToken cancellationToken = default);
}
