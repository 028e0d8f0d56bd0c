using MLNet.Nets.Layers;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class DenseStackTests
{
    private const int Rows = 7;

    private static (DenseStack Stack, double[] W, double[] Xt, double[] Yt) Problem(Activation[] activations, int[] sizes, int seed)
    {
        var stack = new DenseStack(sizes, activations);
        var random = new Random(seed);
        var w = new double[stack.ParameterCount];
        for (int i = 0; i < w.Length; i++) w[i] = random.NextDouble() * 1.6 - 0.8;
        var xt = new double[sizes[0] * Rows];
        for (int i = 0; i < xt.Length; i++) xt[i] = random.NextDouble() * 2 - 1;
        var yt = new double[sizes[^1] * Rows];
        for (int i = 0; i < yt.Length; i++) yt[i] = random.NextDouble() * 2 - 1;
        return (stack, w, xt, yt);
    }

    /// <summary>Naive double forward of one sample (row-major weights), independent of the engine.</summary>
    private static double[] NaiveOutput(DenseStack stack, double[] w, double[] xt, int sample)
    {
        var a = new double[stack.InputCount];
        for (int i = 0; i < a.Length; i++) a[i] = xt[i * Rows + sample];
        for (int l = 0; l < stack.LayerCount; l++)
        {
            int inCount = stack.Sizes[l], units = stack.Sizes[l + 1];
            var next = new double[units];
            for (int j = 0; j < units; j++)
            {
                double z = w[stack.BiasOffsets[l] + j];
                for (int i = 0; i < inCount; i++) z += w[stack.WeightOffsets[l] + j * inCount + i] * a[i];
                next[j] = stack.Activations[l] switch
                {
                    Activation.Tanh => Math.Tanh(z),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
                    Activation.Linear => z,
                    Activation.ELU => z > 0 ? z : Math.Exp(z) - 1,
                    Activation.Softplus => Math.Log(1 + Math.Exp(z)),
                    Activation.Swish => z / (1 + Math.Exp(-z)),
                    _ => throw new NotSupportedException(),
                };
            }
            a = next;
        }
        return a;
    }

    [TestMethod]
    [DataRow(new[] { Activation.Tanh, Activation.Linear }, new[] { 3, 5, 1 })]
    [DataRow(new[] { Activation.Sigmoid, Activation.Tanh, Activation.Linear }, new[] { 2, 4, 3, 2 })]
    [DataRow(new[] { Activation.ELU, Activation.Softplus, Activation.Swish }, new[] { 3, 3, 4, 2 })]
    public void ForwardMatchesNaiveReference(Activation[] activations, int[] sizes)
    {
        var (stack, w, xt, _) = Problem(activations, sizes, 3);
        var state = new DenseStack.State(stack, Rows);
        stack.Forward(w, xt, state);
        for (int s = 0; s < Rows; s++)
        {
            var expected = NaiveOutput(stack, w, xt, s);
            for (int k = 0; k < expected.Length; k++) Assert.AreEqual(expected[k], state.Output[k * Rows + s], 1e-12, $"sample {s} output {k}");
        }
    }

    [TestMethod]
    [DataRow(new[] { Activation.Tanh, Activation.Linear }, new[] { 3, 5, 1 })]
    [DataRow(new[] { Activation.Sigmoid, Activation.Tanh, Activation.Linear }, new[] { 2, 4, 3, 2 })]
    [DataRow(new[] { Activation.ELU, Activation.Softplus, Activation.Swish }, new[] { 3, 3, 4, 2 })]
    public void JacobianMatchesCentralDifferences(Activation[] activations, int[] sizes)
    {
        var (stack, w, xt, _) = Problem(activations, sizes, 5);
        int m = stack.OutputCount;
        stack.OutputScale = Enumerable.Range(0, m).Select(k => 1.5 + k).ToArray();
        int q = Rows * m, stride = q + 3;
        var jt = new double[stack.ParameterCount * stride];
        var state = new DenseStack.State(stack, Rows);
        stack.Forward(w, xt, state);
        stack.JacobianTransposed(w, xt, state, jt, stride);
        for (int s = 0; s < Rows; s++)
        {
            for (int k = 0; k < m; k++)
            {
                double scale = stack.OutputScale[k];
                var numeric = GradientCheck.Numerical(v => scale * NaiveOutput(stack, v, xt, s)[k], w, 1e-6);
                for (int p = 0; p < w.Length; p++)
                {
                    double analytic = jt[p * stride + k * Rows + s];
                    Assert.AreEqual(numeric[p], analytic, 1e-7 + 1e-6 * Math.Abs(numeric[p]), $"∂y[{s},{k}]/∂w[{p}]");
                }
            }
        }
    }

    [TestMethod]
    public void GradientIsMinusMseGradient()
    {
        var (stack, w, xt, yt) = Problem([Activation.Tanh, Activation.Sigmoid, Activation.Linear], [3, 4, 3, 2], 9);
        stack.OutputScale = [2.0, 0.5];
        int q = Rows * stack.OutputCount;
        double Mse(double[] v)
        {
            double sse = 0;
            for (int s = 0; s < Rows; s++)
            {
                var y = NaiveOutput(stack, v, xt, s);
                for (int k = 0; k < y.Length; k++)
                {
                    double e = stack.OutputScale![k] * (yt[k * Rows + s] - y[k]);
                    sse += e * e;
                }
            }
            return sse / q;
        }
        var state = new DenseStack.State(stack, Rows);
        stack.Forward(w, xt, state);
        var errors = new double[q];
        double sse = stack.Errors(state, yt, errors);
        Assert.AreEqual(Mse(w), sse / q, 1e-12);
        var g = new double[w.Length];
        stack.Gradient(w, xt, state, errors, 2.0 / q, g);
        var numeric = GradientCheck.Numerical(Mse, w, 1e-6);
        for (int p = 0; p < w.Length; p++) Assert.AreEqual(-numeric[p], g[p], 1e-7 + 1e-6 * Math.Abs(numeric[p]), $"gradient[{p}]");
    }

    [TestMethod]
    public void SoftmaxIsRejected()
    {
        var error = Assert.ThrowsException<NotSupportedException>(() => new DenseStack([2, 3], [Activation.Softmax]));
        StringAssert.Contains(error.Message, "Softmax");
    }
}
