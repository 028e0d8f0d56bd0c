namespace MLNet.Nets.Data;

/// <summary>
/// Reads one label cell as a number, with one rule for trainers and evaluators: numbers as they are, Boolean as 0/1,
/// a key as its 0-based class (its missing key 0 as NaN); NaN means missing and the row is skipped.
/// </summary>
internal static class LabelValues
{
    /// <summary>The label of row <paramref name="row"/> of a batch's label array; NaN when missing.</summary>
    /// <exception cref="InvalidOperationException">The array is of a type no label column has.</exception>
    public static double Read(Array labels, int row) => labels switch
    {
        // uint[] first: the runtime lets a uint[] match int[].
        uint[] a => a[row] == 0 ? double.NaN : a[row] - 1.0,
        float[] a => a[row],
        double[] a => a[row],
        int[] a => a[row],
        bool[] a => a[row] ? 1 : 0,
        _ => throw new InvalidOperationException($"A label column cannot hold {labels.GetType().Name} values."),
    };
}
