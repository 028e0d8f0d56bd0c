using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>Mean of |prediction − target| over all elements seen (prediction and target of equal length).</summary>
public sealed class MeanAbsoluteErrorMetric : Metric
{
    private double _sum;
    private long _count;

    /// <inheritdoc />
    public override string Name => "mae";

    /// <inheritdoc />
    public override float Result => _count == 0 ? float.NaN : (float)(_sum / _count);

    /// <inheritdoc />
    public override void Reset() => (_sum, _count) = (0, 0);

    /// <inheritdoc />
    public override void Update(Tensor prediction, Tensor target)
    {
        ErrorMetricCheck.SameLength(prediction, target, Name);
        var p = prediction.Span;
        var t = target.Span;
        for (int i = 0; i < p.Length; i++) _sum += Math.Abs(p[i] - t[i]);
        _count += p.Length;
    }
}
