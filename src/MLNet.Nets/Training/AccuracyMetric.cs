using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>
/// Fraction of correct predictions. The shapes decide how predictions are read: [N, C] against [N] class indices
/// (argmax, sparse labels); [N, C] against one-hot [N, C] (argmax of both); one value per sample against a 0/1 target
/// (prediction above <see cref="Threshold"/>).
/// </summary>
public sealed class AccuracyMetric : Metric
{
    private long _correct;
    private long _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="threshold">Binary decision threshold: 0.5 for probabilities (default), 0 for logits.</param>
    public AccuracyMetric(float threshold = 0.5f) => Threshold = threshold;

    /// <summary>Binary decision threshold.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override string Name => "accuracy";

    /// <inheritdoc />
    public override float Result => _count == 0 ? float.NaN : (float)((double)_correct / _count);

    /// <inheritdoc />
    public override void Reset() => (_correct, _count) = (0, 0);

    /// <inheritdoc />
    public override void Update(Tensor prediction, Tensor target)
    {
        int n = prediction.Dim(0);
        if (n == 0) return;
        int per = prediction.Length / n;
        int targetPer = target.Length / n;
        var p = prediction.Span;
        var t = target.Span;
        for (int i = 0; i < n; i++)
        {
            var pi = p.Slice(i * per, per);
            if (per == 1)
            {
                bool predicted = pi[0] > Threshold;
                bool actual = t[i * targetPer] > 0.5f;
                _correct += predicted == actual ? 1 : 0;
            }
            else if (targetPer == 1)
            {
                _correct += ArgMax(pi) == (int)t[i] ? 1 : 0;
            }
            else
            {
                _correct += ArgMax(pi) == ArgMax(t.Slice(i * targetPer, targetPer)) ? 1 : 0;
            }
            _count++;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> x)
    {
        int best = 0;
        for (int j = 1; j < x.Length; j++) if (x[j] > x[best]) best = j;
        return best;
    }
}
