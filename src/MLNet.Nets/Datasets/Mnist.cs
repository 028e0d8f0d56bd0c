using MLNet.Nets.Tensors;

namespace MLNet.Nets.Datasets;

/// <summary>
/// Loads the MNIST handwritten digits from the four standard IDX files (gzip-compressed or not):
/// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
/// <c>t10k-labels-idx1-ubyte</c>, each optionally ending in <c>.gz</c>.
/// </summary>
public static class Mnist
{
    /// <summary>
    /// Loads both sets from <paramref name="directory"/>, by default the <c>mnist</c> folder of the shared data
    /// (<see cref="DataDirectory.Find(string, string?)"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, truncated, or the images and labels disagree in count.</exception>
    public static MnistData Load(string? directory = null)
    {
        string dir = directory ?? DataDirectory.Find("mnist");
        var (trainX, trainY) = LoadSet(dir, "train");
        var (testX, testY) = LoadSet(dir, "t10k");
        return new MnistData(trainX, trainY, testX, testY);
    }

    /// <summary>Loads one set (<c>train</c> or <c>t10k</c>) from <paramref name="directory"/>.</summary>
    /// <returns>Images [N, 1, 28, 28] scaled to [0, 1] and labels [N] as floats.</returns>
    public static (Tensor Images, Tensor Labels) LoadSet(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var images = LoadImages(FindFile(directory, $"{prefix}-images-idx3-ubyte"));
        var labels = LoadLabels(FindFile(directory, $"{prefix}-labels-idx1-ubyte"));
        if (images.Dim(0) != labels.Dim(0))
        {
            throw new InvalidDataException(
                $"MNIST '{prefix}' in '{directory}' has {images.Dim(0)} images but {labels.Dim(0)} labels.");
        }
        return (images, labels);
    }

    /// <summary>Reads an IDX image file into a tensor [N, 1, rows, cols] with pixels divided by 255.</summary>
    public static Tensor LoadImages(string path)
    {
        var idx = IdxReader.Read(path, expectedRank: 3);
        var tensor = new Tensor(idx.Shape[0], 1, idx.Shape[1], idx.Shape[2]);
        var span = tensor.Span;
        const float scale = 1f / 255f;
        for (int i = 0; i < span.Length; i++) span[i] = idx.Data[i] * scale;
        return tensor;
    }

    /// <summary>Reads an IDX label file into a tensor [N] of class indices as floats.</summary>
    public static Tensor LoadLabels(string path)
    {
        var idx = IdxReader.Read(path, expectedRank: 1);
        var tensor = new Tensor(idx.Shape[0]);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = idx.Data[i];
        return tensor;
    }

    /// <summary>The path of <paramref name="stem"/> or <paramref name="stem"/>.gz in <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    public static string FindFile(string directory, string stem)
    {
        foreach (var candidate in new[] { stem + ".gz", stem })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"MNIST file '{stem}(.gz)' was not found in '{directory}'.", Path.Combine(directory, stem + ".gz"));
    }
}
