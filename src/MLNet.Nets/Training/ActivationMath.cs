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
