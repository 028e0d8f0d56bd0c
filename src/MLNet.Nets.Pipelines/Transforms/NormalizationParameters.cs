namespace MLNet.Nets.Transforms;

/// <summary>
/// The fitted parameters of one normalized column, per slot. Affine modes compute y = (x − Offset)·Scale + Shift;
/// <see cref="NormalizationMode.LogMeanVariance"/> computes z = (ln x − Offset)·Scale and, with <see cref="UseCdf"/>, y = Φ(z); x ≤ 0 gives 0.
/// The normalized column carries these as its <c>NormalizationParameters</c> annotation, which <c>ReverseNormalize</c> reads.
/// </summary>
public sealed class NormalizationParameters
{
    /// <summary>The annotation name.</summary>
    public const string AnnotationName = "NormalizationParameters";

    internal NormalizationParameters(NormalizationMode mode, double[] offset, double[] scale, double[] shift, bool useCdf)
    {
        Mode = mode;
        Offset = offset;
        Scale = scale;
        Shift = shift;
        UseCdf = useCdf;
    }

    /// <summary>The normalizer.</summary>
    public NormalizationMode Mode { get; }
    /// <summary>Per slot: subtracted first (the minimum, the mean, or the mean of ln x; 0 with fixZero).</summary>
    public IReadOnlyList<double> Offset { get; }
    /// <summary>Per slot: the multiplier (0 for a constant slot).</summary>
    public IReadOnlyList<double> Scale { get; }
    /// <summary>Per slot: added last (the low end of a target range).</summary>
    public IReadOnlyList<double> Shift { get; }
    /// <summary>Log mode: whether the normal CDF is applied.</summary>
    public bool UseCdf { get; }

    /// <summary>True when the mapping is affine and can be reversed.</summary>
    public bool IsReversible => Mode != NormalizationMode.LogMeanVariance;

    internal float Apply(float x, int slot)
    {
        if (Mode == NormalizationMode.LogMeanVariance)
        {
            // ln x is undefined for x ≤ 0; like ML.NET, such values map to 0 (the CDF of −∞).
            if (x <= 0) return 0;
            double z = (Math.Log(x) - Offset[slot]) * Scale[slot];
            return (float)(UseCdf ? NormalCdf(z) : z);
        }
        return (float)(((double)x - Offset[slot]) * Scale[slot] + Shift[slot]);
    }

    internal float Reverse(float y, int slot) =>
        Scale[slot] == 0 ? (float)Offset[slot] : (float)(((double)y - Shift[slot]) / Scale[slot] + Offset[slot]);

    private static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Complementary error function, fractional error below 1.2e-7 (Chebyshev fit, Numerical Recipes erfcc).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    internal void Save(ModelSaveContext context, string prefix)
    {
        context.Config[prefix + "mode"] = Mode.ToString();
        context.Config[prefix + "useCdf"] = UseCdf;
        context.WriteArray<double>(prefix + "offset", Offset.ToArray());
        context.WriteArray<double>(prefix + "scale", Scale.ToArray());
        context.WriteArray<double>(prefix + "shift", Shift.ToArray());
    }

    internal static NormalizationParameters Load(ModelLoadContext context, string prefix)
    {
        var offset = context.ReadArray<double>(prefix + "offset");
        return new NormalizationParameters(Enum.Parse<NormalizationMode>(context.Get<string>(prefix + "mode")), offset,
            context.ReadArray<double>(prefix + "scale", offset.Length), context.ReadArray<double>(prefix + "shift", offset.Length), context.Get<bool>(prefix + "useCdf"));
    }
}
