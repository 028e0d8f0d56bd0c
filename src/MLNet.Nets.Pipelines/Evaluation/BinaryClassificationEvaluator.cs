namespace MLNet.Nets.Evaluation;

/// <summary>Computes <see cref="BinaryClassificationMetrics"/> from labels, scores and probabilities.</summary>
public static class BinaryClassificationEvaluator
{
    private const double Epsilon = 1e-15;

    /// <summary>The metrics of calibrated predictions: a row is predicted positive when its probability ≥ <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, no rows, or a NaN score/probability (the message names the row).</exception>
    public static BinaryClassificationMetrics Evaluate(ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> probabilities, float threshold = 0.5f)
    {
        if (probabilities.Length != labels.Length) throw new ArgumentException($"There are {labels.Length} labels but {probabilities.Length} probabilities.");
        var predicted = new bool[labels.Length];
        for (int i = 0; i < predicted.Length; i++)
        {
            if (float.IsNaN(probabilities[i])) throw new ArgumentException($"The probability of row {i} is NaN.");
            predicted[i] = probabilities[i] >= threshold;
        }
        return Compute(labels, scores, predicted, probabilities, hasProbabilities: true);
    }

    /// <summary>The metrics of uncalibrated scores: predicted positive when the score &gt; <paramref name="threshold"/>; log-loss is NaN.</summary>
    public static BinaryClassificationMetrics EvaluateNonCalibrated(ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores, float threshold = 0f)
    {
        var predicted = new bool[labels.Length];
        for (int i = 0; i < predicted.Length && i < scores.Length; i++) predicted[i] = scores[i] > threshold;
        return Compute(labels, scores, predicted, default, hasProbabilities: false);
    }

    private static BinaryClassificationMetrics Compute(ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores, bool[] predicted,
        ReadOnlySpan<float> probabilities, bool hasProbabilities)
    {
        int n = labels.Length;
        if (scores.Length != n) throw new ArgumentException($"There are {n} labels but {scores.Length} scores.");
        if (n == 0) throw new ArgumentException("There are no rows to evaluate.");
        for (int i = 0; i < n; i++) if (float.IsNaN(scores[i])) throw new ArgumentException($"The score of row {i} is NaN.");
        long tp = 0, fp = 0, tn = 0, fn = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i]) { if (predicted[i]) tp++; else fn++; }
            else { if (predicted[i]) fp++; else tn++; }
            if (hasProbabilities)
            {
                double p = Math.Clamp(probabilities[i], Epsilon, 1 - Epsilon);
                logLoss -= Math.Log2(labels[i] ? p : 1 - p);
            }
        }
        logLoss = hasProbabilities ? logLoss / n : double.NaN;
        double positive = tp + fn, negative = tn + fp;
        double prior = positive / n;
        double entropy = prior is 0 or 1 ? 0 : -(prior * Math.Log2(prior) + (1 - prior) * Math.Log2(1 - prior));
        double pp = Ratio(tp, tp + fp), pr = Ratio(tp, positive), np = Ratio(tn, tn + fn), nr = Ratio(tn, negative);
        double f1 = pp + pr == 0 ? 0 : 2 * pp * pr / (pp + pr);
        // ML.NET's order: the positive class first.
        var matrix = new ConfusionMatrix(new double[][] { [tp, fn], [fp, tn] }, ["positive", "negative"]);
        return new BinaryClassificationMetrics((double)(tp + tn) / n, RocAuc(labels, scores), AveragePrecision(labels, scores), f1, pp, pr, np, nr,
            logLoss, entropy == 0 ? double.NaN : (entropy - logLoss) / entropy, entropy, matrix);
    }

    private static double Ratio(double a, double b) => b == 0 ? 0 : a / b;

    /// <summary>Mann–Whitney AUC with average ranks for tied scores (equal to the trapezoidal ROC area).</summary>
    private static double RocAuc(ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores)
    {
        int n = labels.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[a].CompareTo(s[b]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) j++;
            double rank = 0.5 * (i + j) + 1;
            for (int k = i; k <= j; k++) if (labels[order[k]]) { positiveRankSum += rank; positives++; }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Σ (R_k − R_{k−1}) · P_k over the distinct score thresholds, highest first.</summary>
    private static double AveragePrecision(ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores)
    {
        int n = labels.Length;
        var s = scores.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a]));
        long positives = 0;
        foreach (bool l in labels) if (l) positives++;
        if (positives == 0) return 0; // as ML.NET and scikit-learn
        double ap = 0, lastRecall = 0;
        long tp = 0, seen = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) j++;
            for (int k = i; k <= j; k++) { seen++; if (labels[order[k]]) tp++; }
            double recall = (double)tp / positives, precision = (double)tp / seen;
            ap += (recall - lastRecall) * precision;
            lastRecall = recall;
            i = j + 1;
        }
        return ap;
    }
}
