using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

[TestClass]
public class SoftmaxTests
{
    private static double[] ReferenceSoftmax(double[] x, int rows, int cols, bool log)
    {
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = Math.Max(max, x[r * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.Exp(x[r * cols + j] - max);
            for (int j = 0; j < cols; j++)
            {
                y[r * cols + j] = log ? x[r * cols + j] - max - Math.Log(sum) : Math.Exp(x[r * cols + j] - max) / sum;
            }
        }
        return y;
    }

    [TestMethod]
    public void ForwardMatchesReferenceOnOddShapes()
    {
        var random = new Random(5);
        foreach (var (rows, cols) in new[] { (1, 1), (3, 17), (2, 33), (5, 3), (4, 10) })
        {
            var x = Numerics.RandomArray(random, rows * cols, 10f);
            var y = new float[x.Length];
            Softmax.Forward(x, y, rows, cols);
            Numerics.AssertClose(ReferenceSoftmax(Numerics.ToDouble(x), rows, cols, false), y, 1e-5, 1e-7, $"softmax {rows}x{cols}");
            LogSoftmax.Forward(x, y, rows, cols);
            Numerics.AssertClose(ReferenceSoftmax(Numerics.ToDouble(x), rows, cols, true), y, 1e-5, 1e-6, $"log-softmax {rows}x{cols}");
        }
    }

    [TestMethod]
    public void HugeLogitsStayFiniteAndInPlaceWorks()
    {
        float[] x = [1000f, 0f, -1000f, 88f, 89f, 90f];
        var y = (float[])x.Clone();
        Softmax.Forward(y, y, 2, 3);
        Numerics.AssertClose(ReferenceSoftmax(Numerics.ToDouble(x), 2, 3, false), y, 1e-5, 1e-7, "softmax");
        y = (float[])x.Clone();
        LogSoftmax.Forward(y, y, 2, 3);
        Numerics.AssertClose(ReferenceSoftmax(Numerics.ToDouble(x), 2, 3, true), y, 1e-5, 1e-6, "log-softmax");
        Assert.AreEqual(-2000f, y[2]);
    }

    [TestMethod]
    public void BackwardMatchesCentralDifferences()
    {
        var random = new Random(6);
        foreach (bool log in new[] { false, true })
        {
            foreach (var (rows, cols) in new[] { (1, 1), (3, 17), (2, 33), (4, 5) })
            {
                var x = Numerics.RandomArray(random, rows * cols, 3f);
                var dy = Numerics.RandomArray(random, x.Length);
                var y = new float[x.Length];
                var dx = new float[x.Length];
                if (log) { LogSoftmax.Forward(x, y, rows, cols); LogSoftmax.Backward(y, dy, dx, rows, cols); }
                else { Softmax.Forward(x, y, rows, cols); Softmax.Backward(y, dy, dx, rows, cols); }
                var r = Numerics.ToDouble(dy);
                var numeric = GradientCheck.Numerical(xs => GradientCheck.Dot(ReferenceSoftmax(xs, rows, cols, log), r), Numerics.ToDouble(x));
                GradientCheck.AssertClose(dx, numeric, 1e-4, 1e-5, $"{(log ? "log-" : "")}softmax {rows}x{cols}");
                // dx may overwrite y.
                var yCopy = (float[])y.Clone();
                if (log) LogSoftmax.Backward(yCopy, dy, yCopy, rows, cols); else Softmax.Backward(yCopy, dy, yCopy, rows, cols);
                CollectionAssert.AreEqual(dx, yCopy);
                // dx may overwrite dy.
                if (log) LogSoftmax.Backward(y, dy, dy, rows, cols); else Softmax.Backward(y, dy, dy, rows, cols);
                CollectionAssert.AreEqual(dx, dy);
            }
        }
    }

    [TestMethod]
    public void WrongSizesNameTheSpan()
    {
        var ex = Assert.ThrowsException<ArgumentException>(() => Softmax.Forward(new float[6], new float[5], 2, 3));
        StringAssert.Contains(ex.Message, "y has 5");
    }
}
