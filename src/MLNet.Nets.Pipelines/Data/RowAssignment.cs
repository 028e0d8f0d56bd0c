namespace MLNet.Nets.Data;

/// <summary>Seeded assignment of rows to folds, optionally stratified by a column's values.</summary>
internal static class RowAssignment
{
    /// <summary>
    /// A fold (0…folds-1) for each row. Without stratification, a seeded permutation is cut into folds whose sizes differ
    /// by at most one; with it, each stratum's rows are shuffled and dealt round-robin, so each fold holds each value in
    /// proportion.
    /// </summary>
    public static byte[] Folds(IDataView data, int folds, int seed, string? stratificationColumn, CancellationToken cancellationToken = default)
    {
        if (folds < 2 || folds > 255) throw new ArgumentOutOfRangeException(nameof(folds), $"The number of folds must be 2…255 but is {folds}.");
        long count = data.CountRows(cancellationToken);
        if (count > int.MaxValue) throw new InvalidOperationException($"The view has {count} rows; splits support up to {int.MaxValue}.");
        int n = (int)count;
        var random = new Random(seed);
        var fold = new byte[n];
        if (stratificationColumn is null)
        {
            var order = Permutation(n, random);
            for (int i = 0; i < n; i++) fold[order[i]] = (byte)((long)i * folds / n);
            return fold;
        }
        var strata = Strata(data, stratificationColumn, cancellationToken);
        int next = 0;
        foreach (var rows in strata)
        {
            var order = Permutation(rows.Count, random);
            foreach (int i in order) fold[rows[i]] = (byte)(next++ % folds);
        }
        return fold;
    }

    /// <summary>True for each test row: a seeded fraction of the rows (of each stratum when stratified).</summary>
    public static bool[] TestRows(IDataView data, double testFraction, int seed, string? stratificationColumn, CancellationToken cancellationToken = default)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), $"The test fraction must be in (0, 1) but is {testFraction}.");
        long count = data.CountRows(cancellationToken);
        if (count > int.MaxValue) throw new InvalidOperationException($"The view has {count} rows; splits support up to {int.MaxValue}.");
        int n = (int)count;
        var random = new Random(seed);
        var test = new bool[n];
        IEnumerable<List<int>> groups = stratificationColumn is null ? [Enumerable.Range(0, n).ToList()] : Strata(data, stratificationColumn, cancellationToken);
        foreach (var rows in groups)
        {
            var order = Permutation(rows.Count, random);
            int take = (int)Math.Round(testFraction * rows.Count, MidpointRounding.AwayFromZero);
            for (int i = 0; i < take; i++) test[rows[order[i]]] = true;
        }
        return test;
    }

    /// <summary>The row positions of each value of a scalar column, values in ordinal order (so the assignment is reproducible).</summary>
    private static IEnumerable<List<int>> Strata(IDataView data, string columnName, CancellationToken cancellationToken)
    {
        var column = data.Schema[columnName];
        if (column.Type.IsVector) throw new ArgumentException($"The stratification column '{columnName}' is a vector; it must be a scalar.");
        var strata = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        int row = 0;
        foreach (var batch in data.GetBatches([column.Index], DataBatch.DefaultSize, cancellationToken))
        {
            var values = batch.GetArray(column.Index);
            for (int r = 0; r < batch.RowCount; r++, row++)
            {
                string key = DataViewExtensions.FormatItem(values.GetValue(r));
                if (!strata.TryGetValue(key, out var list)) strata[key] = list = [];
                list.Add(row);
            }
        }
        return strata.Values;
    }

    private static int[] Permutation(int n, Random random)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        random.Shuffle(p);
        return p;
    }
}
