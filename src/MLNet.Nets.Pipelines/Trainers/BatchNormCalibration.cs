using MLNet.Nets.Models;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Trainers;

/// <summary>
/// After training a network from scratch, sets its batch normalization statistics to their average over (up to 64
/// batches of) the training images. The zoo's reference momenta (0.01 for MobileNet V3) leave the running statistics far
/// behind the weights after the few hundred steps a small data set gives, and evaluation then scores near chance.
/// </summary>
internal static class BatchNormCalibration
{
    public const int MaxBatches = 64;

    /// <summary>Consecutive batches of <paramref name="x"/>'s rows (views, no copies); all rows as one when there are few.</summary>
    public static IEnumerable<Tensor> Batches(Tensor x, int batchSize)
    {
        int batch = Math.Max(2, batchSize), rows = x.Dim(0);
        if (rows < 2 * batch) return rows > 1 ? [x] : [];
        return Enumerable.Range(0, Math.Min(MaxBatches, rows / batch)).Select(b => x.Slice(b * batch, batch));
    }

    public static void Run(NetsContext context, string source, Model network, IEnumerable<Tensor> batches, CancellationToken cancellationToken)
    {
        if (!network.Layers.Any(l => l is Layers.BatchNormalization)) return;
        int used = network.RecalibrateBatchNormalization(batches.Take(MaxBatches), cancellationToken);
        if (used > 0) context.WriteLog(source, $"Batch normalization statistics recomputed over {used} batch(es) of training images.");
    }
}
