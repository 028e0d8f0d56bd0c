using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Models;

/// <summary>Small synthetic data sets for training tests.</summary>
internal static class TrainingData
{
    /// <summary>y = x·w + 0.5 with w = (1, −2, 0.5), plus a little noise.</summary>
    public static (Tensor X, Tensor Y) Linear(int n, int seed)
    {
        var random = new Random(seed);
        var x = new Tensor(n, 3);
        var y = new Tensor(n, 1);
        for (int i = 0; i < n; i++)
        {
            float a = (float)random.NextDouble() * 2 - 1, b = (float)random.NextDouble() * 2 - 1, c = (float)random.NextDouble() * 2 - 1;
            x[i, 0] = a; x[i, 1] = b; x[i, 2] = c;
            y[i, 0] = a - 2 * b + 0.5f * c + 0.5f + 0.01f * ((float)random.NextDouble() - 0.5f);
        }
        return (x, y);
    }

    /// <summary>Three Gaussian blobs in 2-D; labels are class indices stored as floats.</summary>
    public static (Tensor X, Tensor Y) Blobs(int n, int seed)
    {
        var random = new Random(seed);
        float[][] centers = [[0f, 2f], [2f, -1f], [-2f, -1f]];
        var x = new Tensor(n, 2);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            int k = i % 3;
            y[i] = k;
            x[i, 0] = centers[k][0] + 0.5f * (float)(random.NextDouble() * 2 - 1);
            x[i, 1] = centers[k][1] + 0.5f * (float)(random.NextDouble() * 2 - 1);
        }
        return (x, y);
    }
}
