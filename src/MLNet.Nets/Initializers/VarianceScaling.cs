using System.Globalization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Initializers;

/// <summary>
/// Draws weights with variance scale / n, where n is fan_in, fan_out or their mean — the family Glorot, He and LeCun
/// belong to (see <see cref="Initializer.GlorotUniform"/> and its siblings for the named members).
/// </summary>
public sealed class VarianceScaling : Initializer
{
    // Standard deviation of a standard normal truncated to [−2, 2].
    private const double TruncatedStdDev = 0.87962566103423978;

    private readonly string? _name;

    /// <summary>Creates the initializer.</summary>
    /// <param name="scale">Variance numerator (1 for Glorot/LeCun, 2 for He); must be &gt; 0.</param>
    /// <param name="mode">Which fan to divide by.</param>
    /// <param name="distribution">Uniform, normal or truncated normal.</param>
    public VarianceScaling(float scale, FanMode mode, Distribution distribution) : this(scale, mode, distribution, null) { }

    internal VarianceScaling(float scale, FanMode mode, Distribution distribution, string? name)
    {
        if (!(scale > 0) || float.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"Scale must be positive and finite but is {scale}.");
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
        _name = name;
    }

    /// <summary>Variance numerator.</summary>
    public float Scale { get; }

    /// <summary>Which fan is the denominator.</summary>
    public FanMode Mode { get; }

    /// <summary>The distribution drawn from.</summary>
    public Distribution Distribution { get; }

    /// <inheritdoc />
    public override string Name => _name ?? string.Create(CultureInfo.InvariantCulture, $"variance_scaling:{Scale:R},{Mode},{Distribution}");

    /// <inheritdoc />
    public override void Fill(Tensor tensor, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        if (fanIn < 1 || fanOut < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fanIn), $"{Name} needs fan_in ≥ 1 and fan_out ≥ 1 but got {fanIn} and {fanOut} for {tensor.ShapeString}.");
        }
        double n = Mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => (fanIn + (double)fanOut) / 2,
        };
        double variance = Scale / n;
        var span = tensor.Span;
        switch (Distribution)
        {
            case Distribution.Uniform:
                double limit = Math.Sqrt(3 * variance);
                for (int i = 0; i < span.Length; i++) span[i] = (float)(limit * (2 * random.NextDouble() - 1));
                break;
            case Distribution.Normal:
                double std = Math.Sqrt(variance);
                for (int i = 0; i < span.Length; i++) span[i] = (float)(std * NextGaussian(random));
                break;
            default:
                double tstd = Math.Sqrt(variance) / TruncatedStdDev;
                for (int i = 0; i < span.Length; i++)
                {
                    double z;
                    do z = NextGaussian(random); while (Math.Abs(z) > 2);
                    span[i] = (float)(tstd * z);
                }
                break;
        }
    }
}
