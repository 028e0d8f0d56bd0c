using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Vectorised transcendental functions for the activations, accurate to a few ulp, with the accuracy near zero the
/// activations need (eˣ − 1, ln(1 + t)). The runtime's <c>Vector.Exp</c>/<c>Vector.Log</c> for float were measured about
/// 5–15× slower here than this polynomial code (they widen to double), so the kernels use these.
/// </summary>
internal static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;
    // ln 2 split so that n·Ln2Hi is exact for |n| ≤ 128 (Cody–Waite reduction).
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    // 1.5·2²³: adding it rounds a float of magnitude < 2²² to an integer held in the low mantissa bits.
    private const float RoundMagic = 12582912f;
    private const float ExpMax = 88.72283f;   // ln(float.MaxValue)
    private const float ExpMin = -86.6f;      // below this eˣ < 2.4e-38; the result flushes to 0

    /// <summary>eˣ: +∞ above ln(float.MaxValue), 0 below −86.6, NaN for NaN; relative error ≈ 1e-7 elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var xc = Vector.Min(Vector.Max(x, new Vector<float>(ExpMin)), new Vector<float>(ExpMax));
        var t = xc * Log2E + new Vector<float>(RoundMagic);
        var n = t - new Vector<float>(RoundMagic);
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Hi), xc);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Lo), r);
        // e^r on |r| ≤ ln2/2 (Cephes expf coefficients).
        var p = new Vector<float>(1.9875691500E-4f);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.3981999507E-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073E-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894E-2f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459E-1f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201E-1f));
        p = Vector.FusedMultiplyAdd(p, r * r, r) + Vector<float>.One;
        // 2^(n−1)·2 keeps the exponent field in range for n = 128 (x near ln(float.MaxValue)).
        var k = Vector.AsVectorInt32(t) - Vector.AsVectorInt32(new Vector<float>(RoundMagic));
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(k + new Vector<int>(126), 23));
        var result = p * scale * 2f;
        result = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(ExpMin)), Vector<float>.Zero, result);
        result = Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(ExpMax)), new Vector<float>(float.PositiveInfinity), result);
        return Vector.ConditionalSelect(Vector.Equals(x, x), result, x);
    }

    /// <summary>1 / (1 + e⁻ˣ). For x ≪ 0, e⁻ˣ overflows to +∞ and the result is exactly 0 (no NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) =>
        Vector<float>.One / (Vector<float>.One + Exp(-x));

    /// <summary>
    /// eˣ − 1, accurate near 0: a Taylor polynomial for |x| &lt; 0.35 (no cancellation), eˣ − 1 elsewhere (where the
    /// subtraction loses at most a couple of ulp).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpM1(Vector<float> x)
    {
        var p = new Vector<float>(1f / 5040f);
        p = Vector.FusedMultiplyAdd(p, x, new Vector<float>(1f / 720f));
        p = Vector.FusedMultiplyAdd(p, x, new Vector<float>(1f / 120f));
        p = Vector.FusedMultiplyAdd(p, x, new Vector<float>(1f / 24f));
        p = Vector.FusedMultiplyAdd(p, x, new Vector<float>(1f / 6f));
        p = Vector.FusedMultiplyAdd(p, x, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p * x, x, x);
        var big = Exp(x) - Vector<float>.One;
        return Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<float>(0.35f)), p, big);
    }

    /// <summary>
    /// ln(1 + t) for t ∈ [0, 1] (all the callers pass): 2·atanh(s) with s = t/(2 + t) ∈ [0, 1/3], an odd series that is
    /// accurate for tiny t as well.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1P(Vector<float> t)
    {
        var s = t / (new Vector<float>(2f) + t);
        var s2 = s * s;
        var p = new Vector<float>(2f / 17f);
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 15f));
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 13f));
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 11f));
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 9f));
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 7f));
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 5f));
        p = Vector.FusedMultiplyAdd(p, s2, new Vector<float>(2f / 3f));
        return Vector.FusedMultiplyAdd(p * s2, s, s + s);
    }

    /// <summary>ln(1 + eˣ) computed as max(x, 0) + ln(1 + e^−|x|), which neither overflows nor loses small values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) =>
        Vector.Max(x, Vector<float>.Zero) + Log1P(Exp(-Vector.Abs(x)));

    /// <summary>tanh(x) = sign(x)·(−m)/(2 + m) with m = e^(−2|x|) − 1 computed by <see cref="ExpM1"/> (accurate near 0, ±1 in the limits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        var m = ExpM1(new Vector<float>(-2f) * Vector.Abs(x));
        var t = -m / (new Vector<float>(2f) + m);
        // Copy the sign of x (also keeps −0 and NaN as they are).
        var signBit = Vector.AsVectorSingle(new Vector<int>(int.MinValue));
        return Vector.ConditionalSelect(signBit, x, t);
    }
}
