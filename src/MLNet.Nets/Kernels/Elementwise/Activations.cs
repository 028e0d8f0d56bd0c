using System.Numerics;
using System.Runtime.CompilerServices;
using MLNet.Nets.Layers;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Element-wise activation functions and their derivatives, vectorised, with PyTorch's definitions.
/// </summary>
/// <remarks>
/// <para><b>alpha.</b> Only <see cref="Activation.LeakyReLU"/> (negative slope) and <see cref="Activation.ELU"/> (scale of
/// the negative branch) use <c>alpha</c>. Passing 0 — the default — selects PyTorch's default: 0.01 for LeakyReLU and 1.0
/// for ELU (a LeakyReLU or ELU with α = 0 would be a ReLU; use <see cref="Activation.ReLU"/> for that). ELU needs α &gt; 0.
/// Other activations ignore alpha.</para>
/// <para><b>In place.</b> <c>y</c> may be the same span as <c>x</c> in <see cref="Forward"/>, and <c>dx</c> the same span
/// as <c>dy</c> in <see cref="Backward"/> (or as <c>x</c> or <c>y</c>). Partially overlapping spans are not supported.</para>
/// <para><b>What backward reads.</b> ReLU, ReLU6, ELU, Sigmoid and Tanh compute their derivative from the output <c>y</c>
/// only; LeakyReLU, Softplus, Swish, HardSigmoid and HardSwish from the input <c>x</c> only (see
/// <see cref="BackwardNeedsInput"/>); Linear needs neither. A layer that overwrote its input with the output (in-place
/// forward) can therefore still back-propagate the first group by passing <c>y</c> as <c>x</c>.</para>
/// <para><b>Numerics.</b> Sigmoid, Softplus, Swish and ELU are stable for any |x| (no overflow to NaN): sigmoid is 0 or 1
/// in the limits, softplus is max(x, 0) + ln(1 + e^−|x|), ELU and tanh use an accurate eˣ − 1 near 0.</para>
/// <para><see cref="Activation.Softmax"/> is not element-wise; use <see cref="Softmax"/>.</para>
/// </remarks>
public static class Activations
{
    /// <summary>The α LeakyReLU uses when 0 is passed (PyTorch's negative_slope default).</summary>
    public const float DefaultLeakyReLUAlpha = 0.01f;

    /// <summary>The α ELU uses when 0 is passed (PyTorch's default).</summary>
    public const float DefaultEluAlpha = 1f;

    /// <summary>The α actually used for <paramref name="activation"/> when <paramref name="alpha"/> is passed.</summary>
    public static float EffectiveAlpha(Activation activation, float alpha) => activation switch
    {
        Activation.LeakyReLU => alpha == 0 ? DefaultLeakyReLUAlpha : alpha,
        Activation.ELU => alpha == 0 ? DefaultEluAlpha : alpha,
        _ => alpha,
    };

    /// <summary>True for the activations whose <see cref="Backward"/> reads <c>x</c>; false when it reads only <c>y</c>.</summary>
    public static bool BackwardNeedsInput(Activation activation) => activation switch
    {
        Activation.LeakyReLU or Activation.Softplus or Activation.Swish or Activation.HardSigmoid or Activation.HardSwish => true,
        _ => false,
    };

    /// <summary>True for the activations this class computes (all but <see cref="Activation.Softmax"/>).</summary>
    public static bool IsElementwise(Activation activation) => activation switch
    {
        Activation.Linear or Activation.ReLU or Activation.ReLU6 or Activation.LeakyReLU or Activation.ELU or
        Activation.Sigmoid or Activation.Tanh or Activation.Softplus or Activation.Swish or Activation.HardSigmoid or
        Activation.HardSwish => true,
        _ => false,
    };

    /// <summary>y = f(x) element-wise.</summary>
    /// <param name="activation">The function; any member but <see cref="Activation.Softmax"/>.</param>
    /// <param name="x">Input values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be the same span as <paramref name="x"/>.</param>
    /// <param name="alpha">LeakyReLU slope / ELU scale; 0 selects the default (see the class remarks).</param>
    /// <exception cref="ArgumentException">Lengths differ, the activation is Softmax, or ELU's α is negative.</exception>
    public static void Forward(Activation activation, ReadOnlySpan<float> x, Span<float> y, float alpha = 0)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"Activation {activation}: output has {y.Length} elements but input has {x.Length}.", nameof(y));
        }
        alpha = CheckAlpha(activation, alpha);
        switch (activation)
        {
            case Activation.Linear:
                if (!Unsafe.AreSame(ref Unsafe.AsRef(in x.GetPinnableReference()), ref y.GetPinnableReference())) x.CopyTo(y);
                break;
            case Activation.ReLU: ElementwiseDriver.Map(new ReLUOp(), x, y); break;
            case Activation.ReLU6: ElementwiseDriver.Map(new ReLU6Op(), x, y); break;
            case Activation.LeakyReLU: ElementwiseDriver.Map(new LeakyReLUOp(alpha), x, y); break;
            case Activation.ELU: ElementwiseDriver.Map(new EluOp(alpha), x, y); break;
            case Activation.Sigmoid: ElementwiseDriver.Map(new SigmoidOp(), x, y); break;
            case Activation.Tanh: ElementwiseDriver.Map(new TanhOp(), x, y); break;
            case Activation.Softplus: ElementwiseDriver.Map(new SoftplusOp(), x, y); break;
            case Activation.Swish: ElementwiseDriver.Map(new SwishOp(), x, y); break;
            case Activation.HardSigmoid: ElementwiseDriver.Map(new HardSigmoidOp(), x, y); break;
            case Activation.HardSwish: ElementwiseDriver.Map(new HardSwishOp(), x, y); break;
            default: throw NotElementwise(activation);
        }
    }

    /// <summary>dx = dy · f′(x) element-wise, for a forward <c>y = f(x)</c>.</summary>
    /// <param name="activation">The function; any member but <see cref="Activation.Softmax"/>.</param>
    /// <param name="x">The forward input (read only by the activations <see cref="BackwardNeedsInput"/> names).</param>
    /// <param name="y">The forward output (read only by ReLU, ReLU6, ELU, Sigmoid, Tanh).</param>
    /// <param name="dy">dLoss/dy.</param>
    /// <param name="dx">dLoss/dx, written; may be the same span as <paramref name="dy"/>, <paramref name="x"/> or <paramref name="y"/>.</param>
    /// <param name="alpha">The same α as the forward call (0 selects the default).</param>
    /// <exception cref="ArgumentException">Lengths differ, the activation is Softmax, or ELU's α is negative.</exception>
    public static void Backward(Activation activation, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, float alpha = 0)
    {
        int n = dy.Length;
        if (dx.Length != n) throw new ArgumentException($"Activation {activation}: dx has {dx.Length} elements but dy has {n}.", nameof(dx));
        if (BackwardNeedsInput(activation) && x.Length != n)
        {
            throw new ArgumentException($"Activation {activation}: x has {x.Length} elements but dy has {n}.", nameof(x));
        }
        if (activation != Activation.Linear && !BackwardNeedsInput(activation) && y.Length != n)
        {
            throw new ArgumentException($"Activation {activation}: y has {y.Length} elements but dy has {n}.", nameof(y));
        }
        alpha = CheckAlpha(activation, alpha);
        switch (activation)
        {
            case Activation.Linear:
                if (!Unsafe.AreSame(ref Unsafe.AsRef(in dy.GetPinnableReference()), ref dx.GetPinnableReference())) dy.CopyTo(dx);
                break;
            case Activation.ReLU: ElementwiseDriver.Map(new ReLUGrad(), y, dy, dx); break;
            case Activation.ReLU6: ElementwiseDriver.Map(new ReLU6Grad(), y, dy, dx); break;
            case Activation.LeakyReLU: ElementwiseDriver.Map(new LeakyReLUGrad(alpha), x, dy, dx); break;
            case Activation.ELU: ElementwiseDriver.Map(new EluGrad(alpha), y, dy, dx); break;
            case Activation.Sigmoid: ElementwiseDriver.Map(new SigmoidGrad(), y, dy, dx); break;
            case Activation.Tanh: ElementwiseDriver.Map(new TanhGrad(), y, dy, dx); break;
            case Activation.Softplus: ElementwiseDriver.Map(new SoftplusGrad(), x, dy, dx); break;
            case Activation.Swish: ElementwiseDriver.Map(new SwishGrad(), x, dy, dx); break;
            case Activation.HardSigmoid: ElementwiseDriver.Map(new HardSigmoidGrad(), x, dy, dx); break;
            case Activation.HardSwish: ElementwiseDriver.Map(new HardSwishGrad(), x, dy, dx); break;
            default: throw NotElementwise(activation);
        }
    }

    private static float CheckAlpha(Activation activation, float alpha)
    {
        float a = EffectiveAlpha(activation, alpha);
        if (activation == Activation.ELU && !(a > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"ELU needs alpha > 0 but got {alpha}.");
        }
        if (float.IsNaN(a) || float.IsInfinity(a))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Activation {activation}: alpha must be finite but is {alpha}.");
        }
        return a;
    }

    private static ArgumentException NotElementwise(Activation activation) => activation == Activation.Softmax
        ? new ArgumentException("Softmax is not element-wise (it normalises over a row); use the Softmax kernel.", nameof(activation))
        : new ArgumentException($"Unknown activation {activation}.", nameof(activation));

    // Forward operators. Each is a struct so that the generic driver is specialised and the call inlined.

    private readonly struct ReLUOp : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) => Vector.Max(x, Vector<float>.Zero);
    }

    private readonly struct ReLU6Op : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) => Vector.Min(Vector.Max(x, Vector<float>.Zero), new Vector<float>(6f));
    }

    private readonly struct LeakyReLUOp(float alpha) : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) =>
            Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, x * alpha);
    }

    private readonly struct EluOp(float alpha) : IUnaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> x) =>
            Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, VectorMath.ExpM1(Vector.Min(x, Vector<float>.Zero)) * alpha);
    }

    private readonly struct SigmoidOp : IUnaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> x) => VectorMath.Sigmoid(x);
    }

    private readonly struct TanhOp : IUnaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> x) => VectorMath.Tanh(x);
    }

    private readonly struct SoftplusOp : IUnaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> x) => VectorMath.Softplus(x);
    }

    private readonly struct SwishOp : IUnaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> x) => x * VectorMath.Sigmoid(x);
    }

    private readonly struct HardSigmoidOp : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) =>
            Vector.Min(Vector.Max(x * (1f / 6f) + new Vector<float>(0.5f), Vector<float>.Zero), Vector<float>.One);
    }

    private readonly struct HardSwishOp : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) =>
            x * Vector.Min(Vector.Max(x + new Vector<float>(3f), Vector<float>.Zero), new Vector<float>(6f)) * (1f / 6f);
    }

    // Backward operators: Invoke(v, dy) where v is x or y as the derivative needs.

    private readonly struct ReLUGrad : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> y, Vector<float> dy) =>
            Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), dy, Vector<float>.Zero);
    }

    private readonly struct ReLU6Grad : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> y, Vector<float> dy) =>
            Vector.ConditionalSelect(
                Vector.GreaterThan(y, Vector<float>.Zero) & Vector.LessThan(y, new Vector<float>(6f)), dy, Vector<float>.Zero);
    }

    private readonly struct LeakyReLUGrad(float alpha) : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x, Vector<float> dy) =>
            Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), dy, dy * alpha);
    }

    private readonly struct EluGrad(float alpha) : IBinaryVectorOp
    {
        public static bool Unroll => true;

        // For x ≤ 0, f′(x) = α·eˣ = y + α; y > 0 exactly when x > 0 (α > 0).
        public Vector<float> Invoke(Vector<float> y, Vector<float> dy) =>
            Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), dy, dy * (y + new Vector<float>(alpha)));
    }

    private readonly struct SigmoidGrad : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> y, Vector<float> dy) => dy * y * (Vector<float>.One - y);
    }

    private readonly struct TanhGrad : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> y, Vector<float> dy) => dy * (Vector<float>.One - y * y);
    }

    private readonly struct SoftplusGrad : IBinaryVectorOp
    {
        public Vector<float> Invoke(Vector<float> x, Vector<float> dy) => dy * VectorMath.Sigmoid(x);
    }

    private readonly struct SwishGrad : IBinaryVectorOp
    {
        // d/dx x·s(x) = s + x·s·(1 − s) = s·(1 + x·(1 − s)).
        public Vector<float> Invoke(Vector<float> x, Vector<float> dy)
        {
            var s = VectorMath.Sigmoid(x);
            return dy * s * (Vector<float>.One + x * (Vector<float>.One - s));
        }
    }

    private readonly struct HardSigmoidGrad : IBinaryVectorOp
    {
        public static bool Unroll => true;

        // PyTorch: dy/6 strictly inside (−3, 3), else 0.
        public Vector<float> Invoke(Vector<float> x, Vector<float> dy) =>
            Vector.ConditionalSelect(
                Vector.GreaterThan(x, new Vector<float>(-3f)) & Vector.LessThan(x, new Vector<float>(3f)),
                dy * (1f / 6f), Vector<float>.Zero);
    }

    private readonly struct HardSwishGrad : IBinaryVectorOp
    {
        public static bool Unroll => true;

        // PyTorch: 0 for x < −3, dy·(x/3 + 0.5) for −3 ≤ x ≤ 3, dy for x > 3.
        public Vector<float> Invoke(Vector<float> x, Vector<float> dy)
        {
            var mid = dy * (x * (1f / 3f) + new Vector<float>(0.5f));
            var r = Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(3f)), dy, mid);
            return Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(-3f)), Vector<float>.Zero, r);
        }
    }
}
