namespace MLNet.Nets.Trainers;

/// <summary>Row-wise class scores shared by the classifiers' scorers.</summary>
internal static class ClassScores
{
    /// <summary>Softmax of each row of <paramref name="values"/> ([rows, k] row-major) in place, max-subtracted, summed in double.</summary>
    public static void Softmax(float[] values, int k)
    {
        for (int r = 0; r < values.Length / k; r++)
        {
            var row = values.AsSpan(r * k, k);
            float max = float.NegativeInfinity;
            foreach (float v in row) max = Math.Max(max, v);
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.Exp(row[j] - max);
            for (int j = 0; j < k; j++) row[j] = (float)(Math.Exp(row[j] - max) / sum);
        }
    }

    /// <summary>The 1-based key of each row's largest score (ties to the lowest class).</summary>
    public static uint[] ArgMax(float[] p, int rows, int k)
    {
        var keys = new uint[rows];
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int j = 1; j < k; j++) if (p[r * k + j] > p[r * k + best]) best = j;
            keys[r] = (uint)best + 1;
        }
        return keys;
    }
}
