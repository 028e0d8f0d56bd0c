namespace MLNet.Nets.Training;

/// <summary>
/// Which rows of a data set train the network, which watch for over-fitting (validation, for early stopping) and
/// which are held out for testing — MATLAB's <c>dividerand</c>, <c>divideind</c> and <c>dividetrain</c>.
/// </summary>
public sealed class DataDivision
{
    private DataDivision(int count, int[] train, int[] validation, int[] test)
    {
        Count = count;
        TrainIndices = train;
        ValidationIndices = validation;
        TestIndices = test;
    }

    /// <summary>Number of rows divided.</summary>
    public int Count { get; }

    /// <summary>Rows used to fit the weights, ascending.</summary>
    public IReadOnlyList<int> TrainIndices { get; }

    /// <summary>Rows whose error stops training when it rises <c>MaxFail</c> epochs in a row, ascending (may be empty).</summary>
    public IReadOnlyList<int> ValidationIndices { get; }

    /// <summary>Rows held out for testing, ascending (may be empty).</summary>
    public IReadOnlyList<int> TestIndices { get; }

    /// <summary>
    /// Random division like <c>dividerand</c>: ratios are normalised by their sum; round(validation share·count) rows
    /// validate, round(test share·count) rows test, the rest train. The same seed gives the same division.
    /// </summary>
    /// <param name="count">Number of rows.</param>
    /// <param name="trainRatio">Share of training rows (default 0.70).</param>
    /// <param name="validationRatio">Share of validation rows (default 0.15).</param>
    /// <param name="testRatio">Share of test rows (default 0.15).</param>
    /// <param name="seed">Seed of the permutation.</param>
    /// <exception cref="ArgumentException">A ratio is negative, they sum to zero, or no row would train.</exception>
    public static DataDivision Random(int count, double trainRatio = 0.70, double validationRatio = 0.15, double testRatio = 0.15, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(trainRatio >= 0) || !(validationRatio >= 0) || !(testRatio >= 0) || !(trainRatio + validationRatio + testRatio > 0))
        {
            throw new ArgumentException(
                $"Division ratios must be non-negative with a positive sum (got {trainRatio}/{validationRatio}/{testRatio}).");
        }
        double total = trainRatio + validationRatio + testRatio;
        int validation = (int)Math.Round(validationRatio / total * count, MidpointRounding.AwayFromZero);
        int test = (int)Math.Round(testRatio / total * count, MidpointRounding.AwayFromZero);
        int train = count - validation - test;
        if (count > 0 && train <= 0)
        {
            throw new ArgumentException($"Dividing {count} rows {trainRatio}/{validationRatio}/{testRatio} leaves no training row.");
        }
        var order = Permutation(count, seed);
        return new DataDivision(count,
            Sorted(order.AsSpan(0, train)),
            Sorted(order.AsSpan(train, validation)),
            Sorted(order.AsSpan(train + validation, test)));
    }

    /// <summary>Explicit division like <c>divideind</c>. Every index must be in [0, count) and appear at most once.</summary>
    /// <exception cref="ArgumentException">An index is out of range or repeated (the message names it), or no row trains.</exception>
    public static DataDivision FromIndices(int count, IEnumerable<int> train, IEnumerable<int>? validation = null, IEnumerable<int>? test = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var seen = new bool[count];
        int[] Check(IEnumerable<int>? indices, string part)
        {
            if (indices is null) return [];
            var list = indices.ToArray();
            foreach (int i in list)
            {
                if ((uint)i >= (uint)count) throw new ArgumentException($"{part} index {i} is outside [0, {count}).");
                if (seen[i]) throw new ArgumentException($"Row {i} appears twice in the division (again in {part}).");
                seen[i] = true;
            }
            Array.Sort(list);
            return list;
        }
        var tr = Check(train, "training");
        var va = Check(validation, "validation");
        var te = Check(test, "test");
        if (count > 0 && tr.Length == 0) throw new ArgumentException("The division has no training row.");
        return new DataDivision(count, tr, va, te);
    }

    /// <summary>Every row trains, none validates or tests (MATLAB's <c>dividetrain</c>): no early stopping.</summary>
    public static DataDivision TrainOnly(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new DataDivision(count, Enumerable.Range(0, count).ToArray(), [], []);
    }

    /// <summary>
    /// A seeded Fisher–Yates permutation of 0..count−1 (System.Random with a seed is stable across .NET versions and
    /// platforms). Exposed so that benchmarks and other tools can reproduce a split exactly.
    /// </summary>
    public static int[] Permutation(int count, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var random = new System.Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Copies the rows <paramref name="rows"/> of a [count, …] tensor into a new tensor.</summary>
    public static Tensors.Tensor TakeRows(Tensors.Tensor x, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        if (x.Rank == 0) throw new ArgumentException("Cannot take rows of a scalar tensor.", nameof(x));
        var shape = x.Shape.ToArray();
        int n = shape[0];
        int inner = n == 0 ? 0 : x.Length / n;
        shape[0] = rows.Count;
        var result = new Tensors.Tensor(shape);
        var src = x.Span;
        var dst = result.Span;
        for (int r = 0; r < rows.Count; r++)
        {
            int i = rows[r];
            if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(rows), $"Row {i} is outside [0, {n}).");
            src.Slice(i * inner, inner).CopyTo(dst.Slice(r * inner, inner));
        }
        return result;
    }

    private static int[] Sorted(ReadOnlySpan<int> part)
    {
        var array = part.ToArray();
        Array.Sort(array);
        return array;
    }
}
