using System.Runtime.CompilerServices;
using MLNet.Nets.Layers;

namespace MLNet.Nets.Training;

/// <summary>
/// Element-wise activations and their derivatives in double precision, for the second-order trainers
/// (Levenberg–Marquardt needs an accurate Jacobian; single precision can make it stall near a minimum).
/// </summary>
internal static class ActivationMath
{
    private const double LeakySlope = 0.01;

    /// <summary>True for the activations these trainers support (every element-wise one; not softmax).</summary>
    public static bool IsElementWise(Activation activation) => activation != Activation.Softmax;

    /// <summary>f(z).</summary>
    public static double Value(Activation activation, double z) => activation switch
    {
        Activation.Linear => z,
        Activation.Tanh => Math.Tanh(z),
        Activation.Sigmoid => Sigmoid(z),
        Activation.ReLU => z > 0 ? z : 0,
        Activation.ReLU6 => z <= 0 ? 0 : z >= 6 ? 6 : z,
        Activation.LeakyReLU => z > 0 ? z : LeakySlope * z,
        Activation.ELU => z > 0 ? z : Math.Exp(z) - 1,
        Activation.Softplus => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z)),
        Activation.Swish => z * Sigmoid(z),
        Activation.HardSigmoid => Math.Clamp(z + 3, 0, 6) / 6,
        Activation.HardSwish => z * Math.Clamp(z + 3, 0, 6) / 6,
        _ => throw new NotSupportedException($"Activation {activation} is not element-wise."),
    };

    /// <summary>f'(z), given z and a = f(z) (whichever is cheaper is used).</summary>
    public static double Derivative(Activation activation, double z, double a) => activation switch
    {
        Activation.Linear => 1,
        Activation.Tanh => 1 - a * a,
        Activation.Sigmoid => a * (1 - a),
        Activation.ReLU => z > 0 ? 1 : 0,
        Activation.ReLU6 => z > 0 && z < 6 ? 1 : 0,
        Activation.LeakyReLU => z > 0 ? 1 : LeakySlope,
        Activation.ELU => z > 0 ? 1 : a + 1,
        Activation.Softplus => Sigmoid(z),
        Activation.Swish => SwishDerivative(z),
        Activation.HardSigmoid => z > -3 && z < 3 ? 1.0 / 6 : 0,
        Activation.HardSwish => z <= -3 ? 0 : z >= 3 ? 1 : (2 * z + 3) / 6,
        _ => throw new NotSupportedException($"Activation {activation} is not element-wise."),
    };

    /// <summary>a = f(z) element-wise (SIMD for purelin, tansig and logsig).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Activation activation, ReadOnlySpan<double> z, Span<double> a)
    {
        switch (activation)
        {
            case Activation.Linear: z.CopyTo(a); break;
            case Activation.Tanh: DoubleVectorOps.Tanh(z, a); break;
            case Activation.Sigmoid: DoubleVectorOps.Sigmoid(z, a); break;
            default:
                for (int i = 0; i < z.Length; i++) a[i] = Value(activation, z[i]);
                break;
        }
    }

    /// <summary>d = f'(z) element-wise given a = f(z) (SIMD for purelin, tansig and logsig).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Derivative(Activation activation, ReadOnlySpan<double> z, ReadOnlySpan<double> a, Span<double> d)
    {
        switch (activation)
        {
            case Activation.Linear: d.Fill(1); break;
            case Activation.Tanh:
                DoubleVectorOps.Multiply(a, a, d);
                for (int i = 0; i < d.Length; i++) d[i] = 1 - d[i];
                break;
            case Activation.Sigmoid:
                DoubleVectorOps.Multiply(a, a, d);
                DoubleVectorOps.Subtract(a, d, d);
                break;
            default:
                for (int i = 0; i < z.Length; i++) d[i] = Derivative(activation, z[i], a[i]);
                break;
        }
    }

    /// <summary>
    /// The net-input interval where the function is not saturated (MATLAB's "active input range"), used by
    /// Nguyen–Widrow initialisation; null when it is unbounded (the layer is then initialised uniformly in [-1, 1]).
    /// </summary>
    public static (double Min, double Max)? ActiveInputRange(Activation activation) => activation switch
    {
        Activation.Tanh => (-2, 2),
        Activation.Sigmoid => (-4, 4),
        Activation.HardSigmoid => (-3, 3),
        _ => null,
    };

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double SwishDerivative(double z)
    {
        double s = Sigmoid(z);
        return s + z * s * (1 - s);
    }
}
