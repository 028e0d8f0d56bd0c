namespace MLNet.Nets.Data;

/// <summary>The rows of a source view whose position passes a filter (used by train/test splits and cross-validation folds).</summary>
public sealed class FilteredDataView : IDataView
{
    private readonly IDataView _source;
    private readonly Func<long, bool> _keep;
    private readonly long? _count;

    /// <summary>The rows of <paramref name="source"/> at the positions where <paramref name="keep"/> is true.</summary>
    /// <param name="source">The view to filter.</param>
    /// <param name="keep">Whether the row at a (0-based) position of the source is kept.</param>
    /// <param name="rowCount">The number of kept rows when known.</param>
    public FilteredDataView(IDataView source, Func<long, bool> keep, long? rowCount = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _keep = keep ?? throw new ArgumentNullException(nameof(keep));
        _count = rowCount;
    }

    /// <inheritdoc/>
    public DataViewSchema Schema => _source.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => _count;

    /// <inheritdoc/>
    public IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var needed = DataViewExtensions.NeededMask(Schema, columnsNeeded);
        var indices = Enumerable.Range(0, needed.Length).Where(i => needed[i]).ToArray();
        return Read(indices, batchSize, cancellationToken);
    }

    private IEnumerable<DataBatch> Read(int[] columns, int batchSize, CancellationToken cancellationToken)
    {
        var pending = new DataBatchBuilder(Schema, columns, batchSize);
        long offset = 0;
        foreach (var batch in _source.GetBatches(columns, batchSize, cancellationToken))
        {
            for (int r = 0; r < batch.RowCount; r++)
            {
                if (!_keep(batch.RowOffset + r)) continue;
                pending.AddRow(batch, r);
                if (pending.Count == batchSize)
                {
                    yield return pending.Build(offset);
                    offset += batchSize;
                }
            }
        }
        if (pending.Count > 0) yield return pending.Build(offset);
    }
}
