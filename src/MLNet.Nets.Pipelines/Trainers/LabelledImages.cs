using MLNet.Nets.Data;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Trainers;

/// <summary>Gathers the labelled, readable rows of an image column into one [N, C, H, W] tensor and 0-based class labels.</summary>
internal static class LabelledImages
{
    /// <param name="data">The rows.</param>
    /// <param name="feature">The image column's index.</param>
    /// <param name="label">The key label column's index (key 0, missing, skips the row).</param>
    /// <param name="shape">The pixel shape [C, H, W] each row becomes.</param>
    /// <param name="batchSize">Rows read at a time.</param>
    /// <param name="pixels">A batch's pixels [rows, C, H, W] and which rows are readable.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The pixels, the labels and how many rows were skipped.</returns>
    public static (Tensor X, Tensor Y, long Skipped) Read(IDataView data, int feature, int label, (int C, int H, int W) shape, int batchSize,
        Func<DataBatch, (Tensor Pixels, bool[] Valid)> pixels, CancellationToken cancellationToken)
    {
        int size = shape.C * shape.H * shape.W;
        var parts = new List<float[]>();
        var labels = new List<float>();
        long skipped = 0;
        foreach (var batch in data.GetBatches([feature, label], batchSize, cancellationToken))
        {
            var (x, valid) = pixels(batch);
            var source = x.Span;
            var keys = batch.GetValues<uint>(label);
            var kept = new float[batch.RowCount * size];
            int k = 0;
            for (int r = 0; r < batch.RowCount; r++)
            {
                if (keys[r] == 0 || !valid[r]) { skipped++; continue; }
                source.Slice(r * size, size).CopyTo(kept.AsSpan(k * size, size));
                labels.Add(keys[r] - 1);
                k++;
            }
            parts.Add(k == batch.RowCount ? kept : kept[..(k * size)]);
        }
        var all = new Tensor(labels.Count, shape.C, shape.H, shape.W);
        var span = all.Span;
        int at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(span[at..]);
            at += part.Length;
        }
        return (all, new Tensor(labels.ToArray(), labels.Count), skipped);
    }
}
