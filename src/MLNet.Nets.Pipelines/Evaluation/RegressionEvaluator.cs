namespace MLNet.Nets.Evaluation;

/// <summary>Computes <see cref="RegressionMetrics"/> from labels and scores (double-precision sums).</summary>
public static class RegressionEvaluator
{
    /// <summary>The metrics of <paramref name="scores"/> against <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">The lengths differ, there are no rows, or a label or score is NaN/∞ (the message names the row).</exception>
    public static RegressionMetrics Evaluate(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores)
    {
        if (labels.Length != scores.Length) throw new ArgumentException($"There are {labels.Length} labels but {scores.Length} scores.");
        if (labels.Length == 0) throw new ArgumentException("There are no rows to evaluate.");
        double mean = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i])) throw new ArgumentException($"The label of row {i} is {labels[i]}.");
            if (!float.IsFinite(scores[i])) throw new ArgumentException($"The score of row {i} is {scores[i]}.");
            mean += labels[i];
        }
        mean /= labels.Length;
        double sae = 0, sse = 0, sst = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double e = (double)labels[i] - scores[i];
            sae += Math.Abs(e);
            sse += e * e;
            double d = labels[i] - mean;
            sst += d * d;
        }
        int n = labels.Length;
        double r2 = sst == 0 ? double.NaN : 1 - sse / sst;
        return new RegressionMetrics(sae / n, sse / n, r2, sse / n, n);
    }
}
