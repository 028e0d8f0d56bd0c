using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class DoubleVectorOpsTests
{
    [TestMethod]
    public void ExpMatchesMathExp()
    {
        var x = Enumerable.Range(0, 2803).Select(i => -700 + i * 0.4997).Append(0).Append(1e-9).Append(-3.5).ToArray();
        var a = (double[])x.Clone();
        DoubleVectorOps.Exp(a);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Exp(x[i]);
            Assert.AreEqual(expected, a[i], 2e-15 * expected, $"exp({x[i]})");
        }
    }

    [TestMethod]
    public void TanhAndSigmoidMatchReferenceAndSaturate()
    {
        double[] z = [-1000, -400, -20, -3, -0.5, -1e-6, 0, 1e-6, 0.25, 1, 2, 19, 400, 1000, 7, -7, 0.1];
        var t = new double[z.Length];
        var s = new double[z.Length];
        DoubleVectorOps.Tanh(z, t);
        DoubleVectorOps.Sigmoid(z, s);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.AreEqual(Math.Tanh(z[i]), t[i], 1e-15, $"tanh({z[i]})");
            Assert.AreEqual(1 / (1 + Math.Exp(-z[i])), s[i], 1e-15, $"sigmoid({z[i]})");
        }
    }

    [TestMethod]
    public void NaNPropagates()
    {
        double[] z = [0.5, double.NaN, 1, 2, double.NaN];
        var t = new double[z.Length];
        DoubleVectorOps.Tanh(z, t);
        Assert.IsTrue(double.IsNaN(t[1]) && double.IsNaN(t[4]));
        Assert.AreEqual(Math.Tanh(0.5), t[0], 1e-15);
    }

    [TestMethod]
    public void ArithmeticMatchesScalar()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, 23).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, 23).Select(_ => random.NextDouble() - 0.5).ToArray();
        var z = new double[23];
        DoubleVectorOps.Multiply(x, y, z);
        for (int i = 0; i < 23; i++) Assert.AreEqual(x[i] * y[i], z[i], 1e-17);
        DoubleVectorOps.Subtract(x, y, z);
        for (int i = 0; i < 23; i++) Assert.AreEqual(x[i] - y[i], z[i], 1e-17);
        DoubleVectorOps.Scale(3, x, z);
        for (int i = 0; i < 23; i++) Assert.AreEqual(3 * x[i], z[i], 1e-16);
        var acc = (double[])y.Clone();
        DoubleVectorOps.Axpy(-2, x, acc);
        for (int i = 0; i < 23; i++) Assert.AreEqual(y[i] - 2 * x[i], acc[i], 1e-16);
        Assert.AreEqual(x.Sum(), DoubleVectorOps.Sum(x), 1e-15);
    }
}
