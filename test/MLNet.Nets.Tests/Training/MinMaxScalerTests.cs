using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class MinMaxScalerTests
{
    [TestMethod]
    public void MapsEachColumnOntoMinusOneOne()
    {
        var x = new Tensor([1f, 10f, 3f, 20f, 2f, 15f], 3, 2);
        var scaler = new MinMaxScaler().Fit(x);
        Numerics.AssertClose(new float[] { -1, -1, 1, 1, 0, 0 }, scaler.Transform(x).Span);
        CollectionAssert.AreEqual(new double[] { 1, 10 }, scaler.DataMin.ToArray());
        CollectionAssert.AreEqual(new double[] { 3, 20 }, scaler.DataMax.ToArray());
        // mapminmax's formula, extrapolating outside the fitted range.
        var outside = new Tensor([5f, 0f], 1, 2);
        Numerics.AssertClose(new float[] { 3, -3 }, scaler.Transform(outside).Span);
    }

    [TestMethod]
    public void InverseUndoesTransform()
    {
        var random = new Random(1);
        var x = TrainingTestData.RandomMatrix(random, 12, 4, 50);
        var scaler = new MinMaxScaler(0, 1).Fit(x);
        var y = scaler.Transform(x);
        foreach (float v in y.Span) Assert.IsTrue(v >= -1e-6f && v <= 1 + 1e-6f);
        Numerics.AssertClose(x.Span, scaler.Inverse(y).Span, 1e-5f, 1e-4f);
        scaler.Transform(x, x);        // in place
        Numerics.AssertClose(y.Span, x.Span);
    }

    [TestMethod]
    public void ConstantColumnMapsToMidRangeAndBack()
    {
        var x = new Tensor([7f, 1f, 7f, 2f, 7f, 3f], 3, 2);
        var scaler = new MinMaxScaler().Fit(x);
        Assert.IsTrue(scaler.IsConstant(0));
        Assert.IsFalse(scaler.IsConstant(1));
        var y = scaler.Transform(new Tensor([100f, 2f], 1, 2));
        Assert.AreEqual(0f, y[0]);
        Assert.AreEqual(7f, scaler.Inverse(y)[0]);
    }

    [TestMethod]
    public void ErrorsNameTheProblem()
    {
        var x = new Tensor(3, 2);
        x[1, 1] = float.PositiveInfinity;
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => new MinMaxScaler().Fit(x)).Message, "x[1, 1]");
        Assert.ThrowsException<InvalidOperationException>(() => new MinMaxScaler().Transform(new Tensor(1, 2)));
        var fitted = new MinMaxScaler().Fit(new Tensor(2, 2));
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => fitted.Transform(new Tensor(2, 3))).Message, "2 columns");
        Assert.ThrowsException<ArgumentException>(() => new MinMaxScaler(1, 1));
    }
}
