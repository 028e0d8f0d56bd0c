namespace MLNet.Nets.Evaluation;

/// <summary>Computes <see cref="MulticlassClassificationMetrics"/> from class indices and probabilities.</summary>
public static class MulticlassClassificationEvaluator
{
    private const double Epsilon = 1e-15;

    /// <summary>The metrics of <paramref name="probabilities"/> (row-major [N, classCount]) against 0-based class <paramref name="labels"/>;
    /// the predicted class is the most probable (ties to the lowest index).</summary>
    /// <param name="labels">The true class of each row, 0 … classCount − 1.</param>
    /// <param name="probabilities">Each row's class probabilities (or scores; log-loss needs probabilities).</param>
    /// <param name="classCount">Number of classes, ≥ 2.</param>
    /// <param name="topK">K of <see cref="MulticlassClassificationMetrics.TopKAccuracy"/>; 0 for none.</param>
    /// <param name="classNames">Names for the confusion matrix, or null.</param>
    /// <exception cref="ArgumentException">Shapes disagree, no rows, a label out of range or a NaN probability (the message names the row).</exception>
    public static MulticlassClassificationMetrics Evaluate(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, int classCount, int topK = 0,
        IReadOnlyList<string>? classNames = null)
    {
        int n = labels.Length, k = classCount;
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(classCount), $"There must be at least 2 classes, not {k}.");
        if (probabilities.Length != (long)n * k) throw new ArgumentException($"{n} rows of {k} classes need {(long)n * k} probabilities, not {probabilities.Length}.");
        if (n == 0) throw new ArgumentException("There are no rows to evaluate.");
        if (topK < 0 || topK > k) throw new ArgumentOutOfRangeException(nameof(topK), $"topK must be in [0, {k}], not {topK}.");
        var counts = new double[k][];
        for (int c = 0; c < k; c++) counts[c] = new double[k];
        var classLoss = new double[k];
        var classRows = new long[k];
        var rankHits = new long[k];
        double logLoss = 0;
        long correct = 0;
        for (int i = 0; i < n; i++)
        {
            int y = labels[i];
            if (y < 0 || y >= k) throw new ArgumentException($"The label of row {i} is class {y}, outside 0 … {k - 1}.");
            var p = probabilities.Slice(i * k, k);
            int best = 0;
            for (int c = 0; c < k; c++)
            {
                if (float.IsNaN(p[c])) throw new ArgumentException($"The probability of class {c} in row {i} is NaN.");
                if (p[c] > p[best]) best = c;
            }
            counts[y][best]++;
            if (best == y) correct++;
            double loss = -Math.Log(Math.Max(p[y], Epsilon));
            logLoss += loss;
            classLoss[y] += loss;
            classRows[y]++;
            // Rank of the true class: classes strictly more probable, plus equally probable ones with a lower index.
            int rank = 0;
            for (int c = 0; c < k; c++) if (p[c] > p[y] || (p[c] == p[y] && c < y)) rank++;
            rankHits[rank]++;
        }
        logLoss /= n;
        double prior = 0;
        double macro = 0;
        int present = 0;
        for (int c = 0; c < k; c++)
        {
            if (classRows[c] == 0) continue;
            double share = (double)classRows[c] / n;
            prior -= share * Math.Log(share);
            macro += counts[c][c] / classRows[c];
            present++;
        }
        var topKAll = new double[k];
        long cumulative = 0;
        for (int r = 0; r < k; r++)
        {
            cumulative += rankHits[r];
            topKAll[r] = (double)cumulative / n;
        }
        var perClass = Enumerable.Range(0, k).Select(c => classRows[c] == 0 ? 0 : classLoss[c] / classRows[c]).ToArray();
        return new MulticlassClassificationMetrics((double)correct / n, macro / present, logLoss, prior == 0 ? double.NaN : (prior - logLoss) / prior,
            topK, topK == 0 ? 0 : topKAll[topK - 1], topKAll, perClass, new ConfusionMatrix(counts, classNames));
    }
}
