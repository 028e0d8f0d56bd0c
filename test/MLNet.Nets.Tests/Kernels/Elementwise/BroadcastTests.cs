using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels.Elementwise;

[TestClass]
public class BroadcastTests
{
    private static readonly (int[] A, int[] B)[] Pairs =
    [
        ([3, 1, 5], [4, 1]),
        ([2, 3, 17], [17]),
        ([2, 3, 4], [2, 1, 4]),
        ([1], [17]),
        ([5, 1, 1], [1, 3, 1]),
        ([2, 3, 9, 11], [2, 3, 1, 1]),
        ([3, 1, 1], [2, 3, 5, 7]),
        ([33], [33]),
        ([], [2, 3]),
        ([4, 1, 3], [1, 6, 1]),
    ];

    private static readonly BinaryOperation[] Ops = [BinaryOperation.Add, BinaryOperation.Subtract, BinaryOperation.Multiply, BinaryOperation.Divide];

    /// <summary>Naive broadcasting in double through explicit multi-indices.</summary>
    private static double[] Reference(BinaryOperation op, double[] a, int[] sa, double[] b, int[] sb, int[] so)
    {
        int volume = so.Aggregate(1, (p, d) => p * d);
        var y = new double[volume];
        var index = new int[so.Length];
        for (int flat = 0; flat < volume; flat++)
        {
            int rest = flat;
            for (int d = so.Length - 1; d >= 0; d--) { index[d] = rest % so[d]; rest /= so[d]; }
            double av = a[Offset(index, sa)], bv = b[Offset(index, sb)];
            y[flat] = op switch
            {
                BinaryOperation.Add => av + bv,
                BinaryOperation.Subtract => av - bv,
                BinaryOperation.Multiply => av * bv,
                _ => av / bv,
            };
        }
        return y;
    }

    private static int Offset(int[] outIndex, int[] shape)
    {
        int offset = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            int i = outIndex[outIndex.Length - shape.Length + d];
            offset = offset * shape[d] + (shape[d] == 1 ? 0 : i);
        }
        return offset;
    }

    private static Tensor Random(Random random, int[] shape, bool positive)
    {
        var t = new Tensor(shape);
        var values = Numerics.RandomArray(random, t.Length);
        for (int i = 0; i < values.Length; i++) values[i] = positive ? 0.5f + Math.Abs(values[i]) : values[i];
        values.CopyTo(t.Span);
        return t;
    }

    [TestMethod]
    public void ForwardMatchesNaiveBroadcasting()
    {
        var random = new Random(41);
        foreach (var (sa, sb) in Pairs)
        {
            foreach (var op in Ops)
            {
                foreach (bool swap in new[] { false, true })
                {
                    var (ta, tb) = swap ? (sb, sa) : (sa, sb);
                    var a = Random(random, ta, false);
                    var b = Random(random, tb, op == BinaryOperation.Divide);
                    var shape = Broadcast.ResultShape(ta, tb);
                    var y = new Tensor(shape);
                    Broadcast.Forward(op, a, b, y);
                    var expected = Reference(op, Numerics.ToDouble(a.Span), ta, Numerics.ToDouble(b.Span), tb, shape);
                    Numerics.AssertClose(expected, y.Span, 1e-6, 1e-7, $"{op} {a.ShapeString} {b.ShapeString}");
                }
            }
        }
    }

    [TestMethod]
    public void BackwardMatchesCentralDifferences()
    {
        var random = new Random(42);
        foreach (var (sa, sb) in Pairs)
        {
            foreach (var op in Ops)
            {
                foreach (bool swap in new[] { false, true })
                {
                    var (ta, tb) = swap ? (sb, sa) : (sa, sb);
                    var a = Random(random, ta, false);
                    var b = Random(random, tb, op == BinaryOperation.Divide);
                    var shape = Broadcast.ResultShape(ta, tb);
                    var dy = Random(random, shape, false);
                    var da = Tensor.Full(float.NaN, ta); // backward must overwrite
                    var db = Tensor.Full(float.NaN, tb);
                    Broadcast.Backward(op, a, b, dy, da, db);
                    var ad = Numerics.ToDouble(a.Span);
                    var bd = Numerics.ToDouble(b.Span);
                    var rd = Numerics.ToDouble(dy.Span);
                    string what = $"{op} {a.ShapeString} {b.ShapeString}";
                    GradientCheck.AssertClose(da.Span, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(op, v, ta, bd, tb, shape), rd), ad), what: $"da {what}");
                    GradientCheck.AssertClose(db.Span, GradientCheck.Numerical(v => GradientCheck.Dot(Reference(op, ad, ta, v, tb, shape), rd), bd), what: $"db {what}");
                }
            }
        }
    }

    [TestMethod]
    public void SqueezeExciteGateMultipliesEveryPixel()
    {
        var random = new Random(43);
        var x = Random(random, [2, 3, 5, 5], false);
        var gate = Random(random, [2, 3, 1, 1], false);
        var y = new Tensor(2, 3, 5, 5);
        Broadcast.Forward(BinaryOperation.Multiply, x, gate, y);
        Assert.AreEqual(x[1, 2, 4, 3] * gate[1, 2, 0, 0], y[1, 2, 4, 3]);
        // The same operation through the channel-scale kernel.
        var z = new Tensor(2, 3, 5, 5);
        ChannelScale.Forward(x.Span, gate.Span, z.Span, 2, 3, 25);
        CollectionAssert.AreEqual(y.Span.ToArray(), z.Span.ToArray());
    }

    [TestMethod]
    public void IncompatibleShapesNameBothShapes()
    {
        var ex = Assert.ThrowsException<ArgumentException>(() => Broadcast.ResultShape([2, 3], [4]));
        StringAssert.Contains(ex.Message, "[2, 3]");
        StringAssert.Contains(ex.Message, "[4]");
        Assert.IsFalse(Broadcast.AreCompatible([2, 3], [2]));
        Assert.IsTrue(Broadcast.AreCompatible([2, 3], [2, 1]));
        var wrong = Assert.ThrowsException<ArgumentException>(() => Broadcast.Forward(BinaryOperation.Add, new Tensor(2, 3), new Tensor(3), new Tensor(3, 2)));
        StringAssert.Contains(wrong.Message, "result has shape [3, 2]");
    }

    [TestMethod]
    public void SumToShapeReducesBroadcastAxes()
    {
        var src = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var dst = new Tensor(3, 1);
        Broadcast.SumToShape(src, dst);
        // dst[c] = Σ over n and w of src[n, c, w]
        for (int c = 0; c < 3; c++)
        {
            float expected = 0;
            for (int n = 0; n < 2; n++) for (int w = 0; w < 4; w++) expected += src[n, c, w];
            Assert.AreEqual(expected, dst[c, 0]);
        }
    }
}
