using System.Globalization;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Initializers;

/// <summary>
/// Fills a weight tensor with its initial values. Layers call <see cref="Fill(Tensor, int, int, Random)"/> from their
/// build step with the fans of the weight they create, so that the same seed gives the same weights.
/// </summary>
/// <remarks>
/// Fans follow PyTorch's layouts: a weight [out, in, k₁, k₂, …] has fan_in = in·k₁·k₂·… and fan_out = out·k₁·k₂·…
/// (<see cref="ComputeFans"/>). A bias is filled with the fans of its weight.
/// </remarks>
public abstract class Initializer
{
    /// <summary>The name written to layer configurations (e.g. <c>glorot_uniform</c>); <see cref="FromName"/> reads it back.</summary>
    public abstract string Name { get; }

    /// <summary>Overwrites every element of <paramref name="tensor"/>.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="fanIn">Inputs feeding one output unit (e.g. in·kH·kW for a convolution); ≥ 1 for the scaled initializers.</param>
    /// <param name="fanOut">Outputs one input unit feeds (e.g. out·kH·kW); ≥ 1 for the scaled initializers.</param>
    /// <param name="random">The source of randomness; the same seed gives the same values.</param>
    public abstract void Fill(Tensor tensor, int fanIn, int fanOut, Random random);

    /// <summary>Fills <paramref name="tensor"/> using the fans <see cref="ComputeFans"/> derives from its own shape.</summary>
    public void Fill(Tensor tensor, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = ComputeFans(tensor.Shape);
        Fill(tensor, fanIn, fanOut, random);
    }

    /// <summary>
    /// PyTorch's fans of a weight: [n] → (n, n); [out, in] → (in, out); [out, in, k…] → (in·Πk, out·Πk).
    /// </summary>
    public static (int FanIn, int FanOut) ComputeFans(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        int receptive = 1;
        for (int d = 2; d < shape.Length; d++) receptive *= shape[d];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>Glorot (Xavier) uniform: U(±√(6 / (fan_in + fan_out))). Keras's default for Dense and Conv kernels.</summary>
    public static Initializer GlorotUniform { get; } = new VarianceScaling(1, FanMode.FanAverage, Distribution.Uniform, "glorot_uniform");

    /// <summary>Glorot (Xavier) normal: truncated normal, std √(2 / (fan_in + fan_out)) (Keras's definition).</summary>
    public static Initializer GlorotNormal { get; } = new VarianceScaling(1, FanMode.FanAverage, Distribution.TruncatedNormal, "glorot_normal");

    /// <summary>He (Kaiming) uniform: U(±√(6 / fan_in)). For ReLU networks.</summary>
    public static Initializer HeUniform { get; } = new VarianceScaling(2, FanMode.FanIn, Distribution.Uniform, "he_uniform");

    /// <summary>He (Kaiming) normal: truncated normal, std √(2 / fan_in) (Keras's definition).</summary>
    public static Initializer HeNormal { get; } = new VarianceScaling(2, FanMode.FanIn, Distribution.TruncatedNormal, "he_normal");

    /// <summary>LeCun uniform: U(±√(3 / fan_in)).</summary>
    public static Initializer LeCunUniform { get; } = new VarianceScaling(1, FanMode.FanIn, Distribution.Uniform, "lecun_uniform");

    /// <summary>LeCun normal: truncated normal, std √(1 / fan_in) (Keras's definition).</summary>
    public static Initializer LeCunNormal { get; } = new VarianceScaling(1, FanMode.FanIn, Distribution.TruncatedNormal, "lecun_normal");

    /// <summary>
    /// PyTorch's default for Linear and Conv weights and biases (kaiming_uniform with a = √5 for the weight, which equals
    /// U(±1/√fan_in), and U(±1/√fan_in) for the bias).
    /// </summary>
    public static Initializer TorchDefault { get; } = new TorchDefaultUniform();

    /// <summary>All zeros (Keras's default for biases).</summary>
    public static Initializer Zeros { get; } = new ConstantInitializer(0f);

    /// <summary>All ones (batch normalization's default scale).</summary>
    public static Initializer Ones { get; } = new ConstantInitializer(1f);

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static Initializer Constant(float value) => new ConstantInitializer(value);

    /// <summary>
    /// The initializer a <see cref="Name"/> denotes: <c>glorot_uniform</c>, <c>glorot_normal</c>, <c>he_uniform</c>,
    /// <c>he_normal</c>, <c>lecun_uniform</c>, <c>lecun_normal</c>, <c>torch_default</c>, <c>zeros</c>, <c>ones</c>,
    /// <c>constant:V</c>, <c>random_uniform:MIN,MAX</c>, <c>random_normal:MEAN,STD</c>, or
    /// <c>variance_scaling:SCALE,MODE,DISTRIBUTION</c>. PyTorch's names <c>xavier_*</c> and
    /// <c>kaiming_*</c> are accepted.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of these.</exception>
    public static Initializer FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        switch (key)
        {
            case "glorot_uniform" or "xavier_uniform": return GlorotUniform;
            case "glorot_normal" or "xavier_normal": return GlorotNormal;
            case "he_uniform" or "kaiming_uniform": return HeUniform;
            case "he_normal" or "kaiming_normal": return HeNormal;
            case "lecun_uniform": return LeCunUniform;
            case "lecun_normal": return LeCunNormal;
            case "torch_default": return TorchDefault;
            case "zeros" or "zero": return Zeros;
            case "ones" or "one": return Ones;
        }
        if (key.StartsWith("constant:", StringComparison.Ordinal) &&
            float.TryParse(key.AsSpan("constant:".Length), NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            return Constant(value);
        }
        if (TryParsePair(key, "random_uniform:", out float lo, out float hi)) return new RandomUniform(lo, hi);
        if (TryParsePair(key, "random_normal:", out float mean, out float std)) return new RandomNormal(mean, std);
        if (key.StartsWith("variance_scaling:", StringComparison.Ordinal))
        {
            var parts = key["variance_scaling:".Length..].Split(',');
            if (parts.Length == 3 &&
                float.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out float scale) &&
                Enum.TryParse<FanMode>(parts[1], true, out var mode) && Enum.IsDefined(mode) &&
                Enum.TryParse<Distribution>(parts[2], true, out var distribution) && Enum.IsDefined(distribution))
            {
                return new VarianceScaling(scale, mode, distribution);
            }
        }
        throw new ArgumentException(
            $"Unknown initializer '{name}'. Known: glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, " +
            "lecun_normal, torch_default, zeros, ones, constant:V, random_uniform:MIN,MAX, random_normal:MEAN,STD, " +
            "variance_scaling:SCALE,MODE,DISTRIBUTION.", nameof(name));
    }

    private static bool TryParsePair(string key, string prefix, out float first, out float second)
    {
        first = second = 0;
        if (!key.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var parts = key[prefix.Length..].Split(',');
        return parts.Length == 2 &&
            float.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out first) &&
            float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out second);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>A standard normal sample (Box–Muller).</summary>
    protected static double NextGaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
