namespace MLNet.Nets.Losses;

/// <summary>Numerically stable pieces shared by the cross-entropy losses.</summary>
internal static class CrossEntropyMath
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] before the logarithm (Keras's epsilon).</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>log Σ exp(x), computed around the maximum.</summary>
    public static double LogSumExp(ReadOnlySpan<float> x, out float max)
    {
        max = float.NegativeInfinity;
        foreach (float v in x) if (v > max) max = v;
        double sum = 0;
        foreach (float v in x) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    /// <summary>Writes softmax(x) = exp(x − logsumexp) into <paramref name="output"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> x, double logSumExp, Span<float> output)
    {
        for (int j = 0; j < x.Length; j++) output[j] = (float)Math.Exp(x[j] - logSumExp);
    }

    /// <summary>Reads a class index stored as a float, with a clear error when it is not an integer in range.</summary>
    public static int ClassIndex(float value, int classes, int sample, string loss)
    {
        int k = (int)value;
        if (k != value || k < 0 || k >= classes)
        {
            throw new ArgumentException(
                $"Loss '{loss}': the label of sample {sample} is {value}, which is not a class index in [0, {classes - 1}].");
        }
        return k;
    }
}
