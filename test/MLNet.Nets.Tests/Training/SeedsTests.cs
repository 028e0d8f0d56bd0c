using MLNet.Nets.Training;

namespace MLNet.Nets.Tests.Training;

[TestClass]
public class SeedsTests
{
    [TestMethod]
    public void DerivedSeedsAreSplitMix64AndTheSameInEveryProcess()
    {
        // SplitMix64's first output from state 0 is 0xE220A8397B1DCDAF (Steele, Lea & Flood; Vigna's reference C code):
        // its low 31 bits. A per-process salted hash (HashCode.Combine) could not give fixed values like these.
        Assert.AreEqual(0x7B1DCDAF, Seeds.Scramble(0));
        // Further values from an independent Python implementation of the same finalizer.
        Assert.AreEqual(151149761, Seeds.Scramble(1));
        Assert.AreEqual(1695576580, Seeds.Combine(42, 0));
        Assert.AreEqual(210977509, Seeds.Combine(42, 1));
        Assert.AreEqual(702054504, Seeds.Combine(42, 1, 1024));
    }
}
