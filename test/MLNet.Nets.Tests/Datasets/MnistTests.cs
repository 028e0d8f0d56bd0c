using System.IO.Compression;
using MLNet.Nets.Datasets;

namespace MLNet.Nets.Tests.Datasets;

[TestClass]
public class MnistTests
{
    [TestMethod]
    public void LoadsTheSharedMnistFiles()
    {
        string dir = DataDirectory.Find("mnist");
        var (images, labels) = Mnist.LoadSet(dir, "t10k");
        CollectionAssert.AreEqual(new[] { 10000, 1, 28, 28 }, images.Shape.ToArray());
        CollectionAssert.AreEqual(new[] { 7f, 2f, 1f, 0f, 4f, 1f, 4f, 9f, 5f, 9f }, labels.Span[..10].ToArray());
        // README: mean pixel of the test set is 33.791 / 255.
        double mean = 0;
        foreach (float v in images.Span) mean += v;
        Assert.AreEqual(33.791 / 255, mean / images.Length, 1e-4);
        Assert.AreEqual(1f, images.Span.ToArray().Max());
        var counts = new int[10];
        foreach (float l in labels.Span) counts[(int)l]++;
        CollectionAssert.AreEqual(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, counts);
    }

    [TestMethod]
    public void ReadsPlainAndGzipIdx()
    {
        byte[] idx = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255];
        string plain = Path.GetTempFileName();
        string gz = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(plain, idx);
            using (var f = File.Create(gz))
            using (var z = new GZipStream(f, CompressionLevel.Fastest)) z.Write(idx);
            foreach (var path in new[] { plain, gz })
            {
                var file = IdxReader.Read(path);
                CollectionAssert.AreEqual(new[] { 2, 3 }, file.Shape);
                CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4, 5, 255 }, file.Data);
            }
        }
        finally
        {
            File.Delete(plain);
            File.Delete(gz);
        }
    }

    [TestMethod]
    public void BadMagicTruncationAndWrongRankAreClearErrors()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x50, 0x4b, 8, 1, 0, 0, 0, 1, 0]);
            StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => IdxReader.Read(path)).Message, "bad magic");

            File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 10, 1, 2, 3]);
            var ex = Assert.ThrowsException<InvalidDataException>(() => IdxReader.Read(path));
            StringAssert.Contains(ex.Message, "truncated");
            StringAssert.Contains(ex.Message, "10 data bytes but only 3");
            StringAssert.Contains(ex.Message, path);

            File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0]);
            StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => IdxReader.Read(path)).Message, "dimension 0");

            File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 1, 7]);
            StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => Mnist.LoadImages(path)).Message, "3 were expected");

            File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 1, 2, 3]);
            StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => IdxReader.Read(path)).Message, path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
