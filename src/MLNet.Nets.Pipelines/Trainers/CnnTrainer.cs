using System.Collections.Concurrent;
using System.Diagnostics;
using MLNet.Nets.Callbacks;
using MLNet.Nets.Data;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Trains a convolutional (or any) network to classify images given as pixel vectors [C, H, W] with a key label:
/// mini-batch training with cross-entropy on the logits, validation and callbacks (early stopping, schedules), progress,
/// cancellation. Sets that fit <see cref="CnnOptions.MemoryBudgetBytes"/> are read once into memory; larger ones stream
/// from their view every epoch, decoded on a background thread while the network trains.
/// </summary>
public sealed class CnnTrainer : IEstimator<CnnPredictionTransformer>
{
    private readonly NetsContext _context;

    internal CnnTrainer(NetsContext context, CnnOptions options)
    {
        _context = context;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Epochs must be ≥ 0, not {options.Epochs}.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be ≥ 1, not {options.BatchSize}.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(options), $"ValidationFraction must be in [0, 1), not {options.ValidationFraction}.");
        if (options.ShuffleWindow < options.BatchSize) throw new ArgumentOutOfRangeException(nameof(options), "ShuffleWindow must be at least BatchSize.");
    }

    /// <summary>The options.</summary>
    public CnnOptions Options { get; }

    /// <summary>Rows skipped by the last <see cref="Fit"/> because their label or image was missing.</summary>
    public long SkippedRows { get; private set; }

    /// <inheritdoc/>
    public CnnPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        int seed = o.Seed ?? _context.NextSeed();
        var (feature, label, shape, classes) = Columns(input.Schema);
        var network = o.Network ?? ModelZoo.Create(o.Architecture, classes);
        if (!network.IsBuilt) network.Seed = seed;
        network.Compile(o.Optimizer ?? new Adam(1e-3f), new SparseCategoricalCrossEntropy(fromLogits: true), "accuracy");
        var watch = Stopwatch.StartNew();
        var callbacks = new List<Callback>(o.Callbacks) { new MetricsReporter(o.MetricsCallback, watch) };
        long rows = input.CountRows(o.CancellationToken);
        int size = shape.Channels * shape.Height * shape.Width;
        IDataView train = input;
        (Tensor, Tensor)? validation = null;
        if (o.ValidationSet is not null)
        {
            var (vx, vy, _) = ReadAll(o.ValidationSet, feature.Name, label.Name, shape);
            validation = (vx, vy);
        }
        else if (o.ValidationFraction > 0)
        {
            var isValidation = new bool[rows];
            var order = DataDivision.Permutation((int)rows, seed);
            int count = (int)Math.Round(o.ValidationFraction * rows);
            for (int i = 0; i < count; i++) isValidation[order[i]] = true;
            var (vx, vy, _) = ReadAll(new FilteredDataView(input, r => isValidation[r], count), feature.Name, label.Name, shape);
            validation = (vx, vy);
            train = new FilteredDataView(input, r => !isValidation[r], rows - count);
        }
        long trainRows = train.GetRowCount() ?? rows;
        if ((double)trainRows * size * sizeof(float) <= o.MemoryBudgetBytes)
        {
            var (x, y, skipped) = ReadAll(train, feature.Name, label.Name, shape);
            SkippedRows = skipped;
            if (x.Dim(0) == 0) throw new ArgumentException($"There are no training rows with a label '{label.Name}' and an image.");
            network.Fit(x, y, o.BatchSize, o.Epochs, validationData: validation, callbacks: callbacks, progress: o.Progress,
                cancellationToken: o.CancellationToken, seed: seed);
            BatchNormCalibration.Run(_context, "Cnn", network, BatchNormCalibration.Batches(x, o.BatchSize), o.CancellationToken);
        }
        else
        {
            var stream = new StreamingBatches(train, train.Schema[feature.Name].Index, train.Schema[label.Name].Index, shape, o, seed);
            network.Fit(stream.Epoch, o.Epochs, (int)((trainRows + o.BatchSize - 1) / o.BatchSize), validation, o.BatchSize, callbacks,
                o.Progress, o.CancellationToken);
            SkippedRows = stream.Skipped;
            BatchNormCalibration.Run(_context, "Cnn", network, stream.Epoch(o.Epochs).Select(b => b.X).Where(x => x.Dim(0) > 1), o.CancellationToken);
        }
        if (SkippedRows > 0) _context.WriteLog("Cnn", $"Skipped {SkippedRows} rows with a missing label or image.");
        return new CnnPredictionTransformer(network, feature.Name, label.Name, shape, label.Annotations.KeyValues, classes);
    }

    private (DataViewSchema.Column Feature, DataViewSchema.Column Label, (int Channels, int Height, int Width) Shape, int Classes) Columns(DataViewSchema schema)
    {
        var o = Options;
        var feature = schema.GetColumnOrNull(o.FeatureColumnName)
            ?? throw new ArgumentException($"The feature column '{o.FeatureColumnName}' is not in the data. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (feature.Type is not VectorDataViewType { Kind: DataKind.Single } vector)
        {
            throw new ArgumentException($"The feature column '{o.FeatureColumnName}' must be a Single vector of pixels [C, H, W] but holds {feature.Type}; add ExtractPixels.");
        }
        var shape = o.ImageShape ?? (vector.Dimensions.Count == 3 ? (vector.Dimensions[0], vector.Dimensions[1], vector.Dimensions[2])
            : throw new ArgumentException($"The feature column '{o.FeatureColumnName}' has dimensions [{string.Join(", ", vector.Dimensions)}]; give CnnOptions.ImageShape."));
        if (shape.Item1 * shape.Item2 * shape.Item3 != vector.Size)
        {
            throw new ArgumentException($"ImageShape {shape} holds {shape.Item1 * shape.Item2 * shape.Item3} values but '{o.FeatureColumnName}' holds {vector.Size}.");
        }
        var label = schema.GetColumnOrNull(o.LabelColumnName)
            ?? throw new ArgumentException($"The label column '{o.LabelColumnName}' is not in the data. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (label.Type is not KeyDataViewType key)
        {
            throw new ArgumentException($"The label column '{o.LabelColumnName}' holds {label.Type}; it must be a key: add nets.Transforms.Conversion.MapValueToKey(\"{o.LabelColumnName}\") before the trainer.");
        }
        if (key.Count < 2) throw new ArgumentException($"The label '{o.LabelColumnName}' has {key.Count} class; at least 2 are needed.");
        return (feature, label, shape, key.Count);
    }

    /// <summary>All rows with a label and an image as tensors [N, C, H, W] and [N] (class indices).</summary>
    private (Tensor X, Tensor Y, long Skipped) ReadAll(IDataView data, string featureName, string labelName, (int C, int H, int W) shape)
    {
        int f = data.Schema[featureName].Index, size = shape.C * shape.H * shape.W;
        return LabelledImages.Read(data, f, data.Schema[labelName].Index, shape, DataBatch.DefaultSize, batch =>
        {
            var pixels = batch.GetValues<float>(f);
            var valid = new bool[batch.RowCount];
            for (int r = 0; r < valid.Length; r++) valid[r] = !float.IsNaN(pixels[r * size]);
            return (new Tensor(pixels, batch.RowCount, shape.C, shape.H, shape.W), valid);
        }, Options.CancellationToken);
    }

    /// <summary>Reads the training view on a background thread, shuffles within windows, and cuts batches.</summary>
    private sealed class StreamingBatches((IDataView View, int Feature, int Label, (int C, int H, int W) Shape, CnnOptions Options, int Seed) state)
    {
        public StreamingBatches(IDataView view, int feature, int label, (int C, int H, int W) shape, CnnOptions options, int seed)
            : this((view, feature, label, shape, options, seed)) { }

        public long Skipped { get; private set; }

        public IEnumerable<(Tensor X, Tensor Y)> Epoch(int epoch)
        {
            var (view, feature, label, shape, options, seed) = state;
            int size = shape.C * shape.H * shape.W;
            int batchSize = options.BatchSize;
            var random = new Random(Seeds.Combine(seed, epoch));
            using var queue = new BlockingCollection<DataBatch>(boundedCapacity: 2);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
            Exception? failure = null;
            var producer = Task.Run(() =>
            {
                try
                {
                    foreach (var batch in view.GetBatches([feature, label], options.ShuffleWindow, stop.Token)) queue.Add(batch, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
                catch (Exception e) { failure = e; }
                finally { queue.CompleteAdding(); }
            });
            try
            {
                long skipped = 0;
                foreach (var window in queue.GetConsumingEnumerable(options.CancellationToken))
                {
                    var pixels = window.GetValues<float>(feature);
                    var keys = window.GetValues<uint>(label);
                    var rows = Enumerable.Range(0, window.RowCount).Where(r => keys[r] != 0 && !float.IsNaN(pixels[r * size])).ToArray();
                    skipped += window.RowCount - rows.Length;
                    random.Shuffle(rows);
                    for (int start = 0; start < rows.Length; start += batchSize)
                    {
                        int count = Math.Min(batchSize, rows.Length - start);
                        var x = new Tensor(count, shape.C, shape.H, shape.W);
                        var y = new Tensor(count);
                        var xs = x.Span;
                        var ys = y.Span;
                        for (int i = 0; i < count; i++)
                        {
                            int r = rows[start + i];
                            pixels.AsSpan(r * size, size).CopyTo(xs.Slice(i * size, size));
                            ys[i] = keys[r] - 1;
                        }
                        yield return (x, y);
                    }
                }
                if (failure is not null) throw new InvalidDataException(failure.Message, failure);
                Skipped = skipped;
            }
            finally
            {
                stop.Cancel();
                try { producer.Wait(); } catch (AggregateException) { }
            }
        }
    }

    /// <summary>Turns a fit's epoch logs into <see cref="CnnEpochMetrics"/> for a metrics callback (CNN and transfer trainers).</summary>
    internal sealed class MetricsReporter(Action<CnnEpochMetrics>? callback, Stopwatch watch) : Callback
    {
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
        {
            double Get(string key) => logs.TryGetValue(key, out float v) ? v : double.NaN;
            callback?.Invoke(new CnnEpochMetrics(epoch + 1, Get("loss"), Get("accuracy"), Get("val_loss"), Get("val_accuracy"), Get("lr"), watch.Elapsed));
        }
    }
}
