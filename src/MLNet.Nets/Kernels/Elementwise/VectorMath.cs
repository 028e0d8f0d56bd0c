using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>Vectorised transcendental helpers with the accuracy the activations need near zero and far from it.</summary>
internal static class VectorMath
{
    /// <summary>1 / (1 + e⁻ˣ). For x ≪ 0, e⁻ˣ overflows to +∞ and the result is exactly 0 (no NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) =>
        Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));

    /// <summary>
    /// ln(1 + t), accurate for tiny t (Goldberg's trick: with u = 1 + t rounded, ln(u)·t/(u − 1) cancels the rounding
    /// of u). Valid for t ≥ 0, which is all the callers pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1P(Vector<float> t)
    {
        var u = Vector<float>.One + t;
        var d = u - Vector<float>.One;
        var exact = Vector.Log(u) * t / d;
        return Vector.ConditionalSelect(Vector.Equals(d, Vector<float>.Zero), t, exact);
    }

    /// <summary>
    /// eˣ − 1, accurate near 0 (Kahan's trick: with u = eˣ rounded, (u − 1)·x / ln(u) cancels the rounding of u).
    /// Returns x when u rounds to 1 and −1 when u underflows to 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpM1(Vector<float> x)
    {
        var u = Vector.Exp(x);
        var d = u - Vector<float>.One;
        var fixedUp = d * x / Vector.Log(u);
        var r = Vector.ConditionalSelect(Vector.Equals(d, Vector<float>.Zero), x, fixedUp);
        r = Vector.ConditionalSelect(Vector.Equals(d, -Vector<float>.One), d, r);
        // Large x: u = +∞ makes ∞/∞ = NaN; eˣ − 1 is then ∞ as well.
        return Vector.ConditionalSelect(Vector.Equals(u, new Vector<float>(float.PositiveInfinity)), u, r);
    }

    /// <summary>ln(1 + eˣ) computed as max(x, 0) + ln(1 + e^−|x|), which neither overflows nor loses small values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) =>
        Vector.Max(x, Vector<float>.Zero) + Log1P(Vector.Exp(-Vector.Abs(x)));
}
