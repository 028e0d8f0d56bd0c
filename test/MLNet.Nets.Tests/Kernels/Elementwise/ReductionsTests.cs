using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

[TestClass]
public class ReductionsTests
{
    private static readonly int[][] Shapes = [[3, 17, 5], [1, 33], [17], [2, 3, 4, 9], [4, 1, 3]];

    private enum Kind { Sum, Mean, Max }

    private static double[] Reference(Kind kind, double[] x, int[] shape, int axis)
    {
        int outer = shape[..axis].Aggregate(1, (p, d) => p * d);
        int len = shape[axis];
        int inner = shape[(axis + 1)..].Aggregate(1, (p, d) => p * d);
        var y = new double[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < inner; j++)
            {
                double acc = kind == Kind.Max ? double.NegativeInfinity : 0;
                for (int l = 0; l < len; l++)
                {
                    double v = x[(o * len + l) * inner + j];
                    acc = kind == Kind.Max ? Math.Max(acc, v) : acc + v;
                }
                y[o * inner + j] = kind == Kind.Mean ? acc / len : acc;
            }
        }
        return y;
    }

    [TestMethod]
    public void ForwardAndBackwardOverEveryAxis()
    {
        var random = new Random(51);
        foreach (var shape in Shapes)
        {
            for (int axis = 0; axis < shape.Length; axis++)
            {
                foreach (bool keep in new[] { false, true })
                {
                    var outShape = keep ? shape.Select((d, i) => i == axis ? 1 : d).ToArray() : shape.Where((_, i) => i != axis).ToArray();
                    var x = new Tensor(Numerics.RandomArray(random, shape.Aggregate(1, (p, d) => p * d)), shape);
                    var xd = Numerics.ToDouble(x.Span);
                    foreach (var kind in new[] { Kind.Sum, Kind.Mean, Kind.Max })
                    {
                        var y = new Tensor(outShape);
                        var arg = new int[y.Length];
                        int ax = axis == shape.Length - 1 && kind == Kind.Mean ? -1 : axis; // also exercise a negative axis
                        switch (kind)
                        {
                            case Kind.Sum: Reductions.Sum(x, ax, y); break;
                            case Kind.Mean: Reductions.Mean(x, ax, y); break;
                            default: Reductions.Max(x, ax, y, arg); break;
                        }
                        string what = $"{kind} {x.ShapeString} axis {ax} keep={keep}";
                        Numerics.AssertClose(Reference(kind, xd, shape, axis), y.Span, 1e-5, 1e-6, what);
                        var dy = new Tensor(Numerics.RandomArray(random, y.Length), outShape);
                        var dx = Tensor.Full(float.NaN, shape);
                        switch (kind)
                        {
                            case Kind.Sum: Reductions.SumBackward(dy, ax, dx); break;
                            case Kind.Mean: Reductions.MeanBackward(dy, ax, dx); break;
                            default: Reductions.MaxBackward(dy, arg, ax, dx); break;
                        }
                        var rd = Numerics.ToDouble(dy.Span);
                        GradientCheck.AssertClose(dx.Span, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(kind, v, shape, axis), rd), xd), what: $"d{what}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void MaxPicksTheFirstOnTiesAndShapesAreChecked()
    {
        var x = new Tensor([1f, 5f, 5f, 2f, 7f, 7f], 2, 3);
        var y = new Tensor(2);
        var arg = new int[2];
        Reductions.Max(x, 1, y, arg);
        CollectionAssert.AreEqual(new[] { 1, 1 }, arg);
        var col = new Tensor(1, 3);
        var argc = new int[3];
        Reductions.Max(new Tensor([1f, 5f, 5f, 1f, 5f, 6f], 2, 3), 0, col, argc);
        CollectionAssert.AreEqual(new[] { 0, 0, 1 }, argc);
        var ex = Assert.ThrowsException<ArgumentException>(() => Reductions.Sum(x, 1, new Tensor(3)));
        StringAssert.Contains(ex.Message, "[2, 3]");
    }
}
