using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Tensors;

[TestClass]
public class TensorTests
{
    [TestMethod]
    public void ReshapeIsAViewAndInfersOneDimension()
    {
        var t = new Tensor(2, 3, 4);
        var v = t.Reshape(6, -1);
        CollectionAssert.AreEqual(new[] { 6, 4 }, v.Shape.ToArray());
        v[5, 3] = 7f;
        Assert.AreEqual(7f, t[1, 2, 3]);
    }

    [TestMethod]
    public void ReshapeToWrongVolumeNamesBothShapes()
    {
        var t = new Tensor(2, 3);
        var ex = Assert.ThrowsException<ArgumentException>(() => t.Reshape(4, 2));
        StringAssert.Contains(ex.Message, "[2, 3]");
        StringAssert.Contains(ex.Message, "[4, 2]");
    }

    [TestMethod]
    public void SliceSharesStorageAlongTheFirstAxis()
    {
        var t = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 4, 3, 2);
        var s = t.Slice(1, 2);
        CollectionAssert.AreEqual(new[] { 2, 3, 2 }, s.Shape.ToArray());
        Assert.AreEqual(6f, s[0]);
        Assert.AreEqual(17f, s[s.Length - 1]);
        s[0] = -1;
        Assert.AreEqual(-1f, t[1, 0, 0]);
    }

    [TestMethod]
    public void IndexOutOfRangeNamesAxisAndShape()
    {
        var t = new Tensor(2, 3);
        var ex = Assert.ThrowsException<IndexOutOfRangeException>(() => t[1, 3]);
        StringAssert.Contains(ex.Message, "axis 1");
    }

    [TestMethod]
    public void ReuseKeepsABufferOfTheSameShape()
    {
        Tensor? buffer = null;
        var first = Tensor.Reuse(ref buffer, 3, 5);
        var second = Tensor.Reuse(ref buffer, 3, 5);
        Assert.AreSame(first, second);
        var third = Tensor.Reuse(ref buffer, 5, 3);
        Assert.AreNotSame(first, third);
    }
}
