using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MLNet.Nets.Callbacks;
using MLNet.Nets.Data;
using MLNet.Nets.Images;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Serialization;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Transfer learning from a pretrained zoo network (MobileNet V1/V2/V3, Inception V3, ResNet, …): the pretrained
/// classifier is replaced by one for the label's classes and trained — alone on bottleneck features computed once and
/// cached on disk (<see cref="FineTune.HeadOnly"/>), or with the last blocks or the whole network. Without weights and
/// with <see cref="FineTune.Full"/>, the zoo network is trained from scratch on the same inputs.
/// </summary>
public sealed class ImageClassificationTrainer : IEstimator<ImageClassificationTransformer>
{
    private readonly NetsContext _context;

    internal ImageClassificationTrainer(NetsContext context, ImageClassificationOptions options)
    {
        _context = context;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Weights is null && options.FineTune != FineTune.Full)
        {
            throw new ArgumentException($"ImageClassificationOptions.Weights is required for FineTune {options.FineTune}: the pretrained weights to transfer from (PretrainedWeights.FromFile or FromCache); only FineTune.Full trains from scratch without them.");
        }
        if (options.Epochs < 0 || options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "Epochs must be ≥ 0 and BatchSize ≥ 1.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(options), "ValidationFraction must be in [0, 1).");
    }

    /// <summary>The options.</summary>
    public ImageClassificationOptions Options { get; }

    /// <summary>Whether the last <see cref="Fit"/> reused bottlenecks from the disk cache.</summary>
    public bool UsedCachedBottlenecks { get; private set; }

    /// <summary>The bottleneck cache file of the last HeadOnly <see cref="Fit"/>, or null.</summary>
    public string? BottleneckCachePath { get; private set; }

    /// <inheritdoc/>
    public ImageClassificationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        int seed = o.Seed ?? _context.NextSeed();
        var zoo = Copy(o.ZooOptions, seed);
        var networkInput = new NetworkInput(NetworkInput.For(o.Architecture, zoo));
        var feature = input.Schema.GetColumnOrNull(o.FeatureColumnName)
            ?? throw new ArgumentException($"The image column '{o.FeatureColumnName}' is not in the data. Columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.");
        networkInput.Check(feature);
        var label = input.Schema.GetColumnOrNull(o.LabelColumnName)
            ?? throw new ArgumentException($"The label column '{o.LabelColumnName}' is not in the data.");
        if (label.Type is not KeyDataViewType { Count: >= 2 } key)
        {
            throw new ArgumentException($"The label column '{o.LabelColumnName}' holds {label.Type}; it must be a key with at least 2 classes: add nets.Transforms.Conversion.MapValueToKey(\"{o.LabelColumnName}\").");
        }
        var watch = Stopwatch.StartNew();
        var callbacks = new List<Callback> { new CnnTrainer.MetricsReporter(o.MetricsCallback, watch) };
        if (o.EarlyStopping is not null) callbacks.Add(o.EarlyStopping);
        if (o.LearningRateScheduler is not null) callbacks.Add(new LearningRateScheduler(o.LearningRateScheduler));
        if (o.Weights is null)
        {
            _context.WriteLog("ImageClassification", $"{ModelZoo.NameOf(o.Architecture)}: no pretrained weights; training from scratch.");
            var scratch = ModelZoo.Create(o.Architecture, key.Count, zoo);
            var (sx, sy) = Pixels(input, feature, label, networkInput);
            Train(scratch, sx, sy, input, feature, label, networkInput, [], seed, callbacks);
            BatchNormCalibration.Run(_context, "ImageClassification", scratch, BatchNormCalibration.Batches(sx, o.BatchSize), o.CancellationToken);
            return new ImageClassificationTransformer(networkInput, [scratch], o.FeatureColumnName, label.Annotations.KeyValues, key.Count, o.SkipBadImages)
            {
                SameNetworkFromEpochs = SameNetworkFromEpochs(o),
            };
        }
        var extractor = ModelZoo.CreateFeatureExtractor(o.Architecture, zoo);
        var extractorNames = extractor.StateDict().Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var loaded = o.Weights!.LoadInto(extractor, strict: false);
        if (loaded.Loaded.Count == 0) throw new InvalidDataException($"Weights file {o.Weights.Path}: no tensor matches {ModelZoo.NameOf(o.Architecture)}'s feature extractor.");
        if (loaded.Missing.Count > 0)
        {
            throw new InvalidDataException($"Weights file {o.Weights.Path} lacks {loaded.Missing.Count} tensors of {ModelZoo.NameOf(o.Architecture)}'s feature extractor, e.g. '{loaded.Missing[0]}'.");
        }
        _context.WriteLog("ImageClassification", $"{ModelZoo.NameOf(o.Architecture)}: {loaded.Loaded.Count} pretrained tensors loaded; fine-tuning {o.FineTune}.");

        Model[] stages;
        if (o.FineTune.LastBlockCount == 0)
        {
            var (features, labels) = Bottlenecks(input, feature, label, networkInput, extractor);
            var head = new Sequential([features.Dim(1)], seed, new Dense(key.Count, name: "head"));
            Train(head, features, labels, input, feature, label, networkInput, [extractor], seed, callbacks);
            stages = [extractor, head];
        }
        else
        {
            var network = ModelZoo.Create(o.Architecture, key.Count, zoo);
            o.Weights.LoadInto(network, strict: false, mapSourceName: n => extractorNames.Contains(n) ? n : null);
            Freeze(network, extractorNames, o.FineTune.LastBlockCount);
            var (x, y) = Pixels(input, feature, label, networkInput);
            Train(network, x, y, input, feature, label, networkInput, [], seed, callbacks);
            stages = [network];
        }
        return new ImageClassificationTransformer(networkInput, stages, o.FeatureColumnName, label.Annotations.KeyValues, key.Count, o.SkipBadImages)
        {
            SameNetworkFromEpochs = SameNetworkFromEpochs(o),
        };
    }

    /// <summary>When early stopping ended training, the epochs whose weights were kept; else null.</summary>
    private static int? SameNetworkFromEpochs(ImageClassificationOptions o) => o.EarlyStopping is { StoppedEpoch: >= 0 } e
        ? (e.RestoreBestWeights && e.BestEpoch >= 0 ? e.BestEpoch : e.StoppedEpoch) + 1
        : null;

    private static ZooOptions Copy(ZooOptions? o, int seed) => new()
    {
        WidthMultiplier = o?.WidthMultiplier ?? 1.0, InputSize = o?.InputSize, InputChannels = o?.InputChannels, DropoutRate = o?.DropoutRate,
        AuxLogits = false, IncludeTop = true, Seed = seed,
    };

    /// <summary>Trains layers of the last <paramref name="blocks"/> extractor blocks (a block: <c>features.17</c>, <c>layer4.1</c>, <c>Mixed_7c</c>) and every head layer.</summary>
    private static void Freeze(Model network, HashSet<string> extractorNames, int blocks)
    {
        static string BlockOf(string name)
        {
            var parts = name.Split('.');
            return parts.Length > 1 && int.TryParse(parts[1], out _) ? parts[0] + "." + parts[1] : parts[0];
        }
        var extractorLayers = network.Layers.Where(l => l.Parameters.Count == 0 || l.Parameters.Any(p => extractorNames.Contains($"{l.Name}.{p.Name}"))).ToList();
        var order = extractorLayers.Where(l => l.Parameters.Count > 0).Select(l => BlockOf(l.Name!)).Distinct().ToList();
        var trainable = order.Skip(Math.Max(0, order.Count - blocks)).ToHashSet();
        foreach (var layer in extractorLayers)
        {
            if (layer.Parameters.Count > 0) layer.Trainable = trainable.Contains(BlockOf(layer.Name!));
        }
    }

    private void Train(Model network, Tensor x, Tensor y, IDataView input, DataViewSchema.Column feature, DataViewSchema.Column label,
        NetworkInput networkInput, Model[] before, int seed, List<Callback> callbacks)
    {
        var o = Options;
        network.Compile(o.Optimizer ?? new Adam(o.LearningRate), new SparseCategoricalCrossEntropy(fromLogits: true), "accuracy");
        (Tensor, Tensor)? validation = null;
        if (o.ValidationSet is not null)
        {
            var vFeature = o.ValidationSet.Schema[feature.Name];
            var vLabel = o.ValidationSet.Schema[label.Name];
            var (vx, vy) = Pixels(o.ValidationSet, vFeature, vLabel, networkInput);
            validation = (before.Length == 0 ? vx : ImageClassificationTransformer.Run(before, vx), vy);
        }
        else if (o.ValidationFraction > 0 && x.Dim(0) > 1)
        {
            int n = x.Dim(0), count = Math.Max(1, (int)Math.Round(o.ValidationFraction * n));
            var order = DataDivision.Permutation(n, seed);
            validation = (DataDivision.TakeRows(x, order[..count]), DataDivision.TakeRows(y, order[..count]));
            x = DataDivision.TakeRows(x, order[count..]);
            y = DataDivision.TakeRows(y, order[count..]);
        }
        if (o.Augmentation is not null && o.FineTune.LastBlockCount > 0 && feature.Type is not VectorDataViewType)
        {
            var images = Images(input, feature, label, out var keys);
            network.Fit(epoch => AugmentedBatches(images, keys, networkInput, epoch, seed), o.Epochs, (images.Count + o.BatchSize - 1) / o.BatchSize,
                validation, o.BatchSize, callbacks, o.Progress, o.CancellationToken);
            return;
        }
        network.Fit(x, y, o.BatchSize, o.Epochs, validationData: validation, callbacks: callbacks, progress: o.Progress, cancellationToken: o.CancellationToken, seed: seed);
    }

    private List<Image> Images(IDataView input, DataViewSchema.Column feature, DataViewSchema.Column label, out List<float> keys)
    {
        var images = new List<Image>();
        keys = [];
        foreach (var batch in input.GetBatches([feature.Index, label.Index], DataBatch.DefaultSize, Options.CancellationToken))
        {
            var labels = batch.GetValues<uint>(label.Index);
            var column = batch.GetArray(feature.Index);
            for (int r = 0; r < batch.RowCount; r++)
            {
                if (labels[r] == 0) continue;
                Image? image = column is string[] paths ? (ImageDecoder.TryDecode(paths[r], out var decoded, out var error) ? decoded
                    : Options.SkipBadImages ? null : throw new InvalidDataException(error.Message, error)) : ((Image?[])column)[r];
                if (image is null) continue;
                images.Add(image);
                keys.Add(labels[r] - 1);
            }
        }
        return images;
    }

    private IEnumerable<(Tensor X, Tensor Y)> AugmentedBatches(List<Image> images, List<float> keys, NetworkInput networkInput, int epoch, int seed)
    {
        var random = new Random(Seeds.Combine(seed, epoch));
        var order = Enumerable.Range(0, images.Count).ToArray();
        random.Shuffle(order);
        var schema = new DataViewSchema([("Image", ImageDataViewType.Any, null)]);
        for (int start = 0; start < order.Length; start += Options.BatchSize)
        {
            var rows = order.Skip(start).Take(Options.BatchSize).ToArray();
            var augmented = rows.Select(i => (Image?)ImageAugmenter.Apply(images[i], Options.Augmentation!, random)).ToArray();
            var batch = new DataBatch(schema, rows.Length, 0, [augmented]);
            var x = networkInput.Read(batch, schema[0], skipBadImages: false, out _);
            yield return (x, new Tensor(rows.Select(i => keys[i]).ToArray(), rows.Length));
        }
    }

    /// <summary>Network inputs [N, C, H, W] and labels [N] of the rows with a label and a readable image.</summary>
    private (Tensor X, Tensor Y) Pixels(IDataView data, DataViewSchema.Column feature, DataViewSchema.Column label, NetworkInput networkInput)
    {
        var p = networkInput.Preprocessing;
        var (x, y, _) = LabelledImages.Read(data, feature.Index, label.Index, (p.Channels, p.Height, p.Width), 256, batch =>
        {
            var pixels = networkInput.Read(batch, feature, Options.SkipBadImages, out var valid);
            return (pixels, valid);
        }, Options.CancellationToken);
        if (x.Dim(0) == 0) throw new ArgumentException("There are no labelled, readable images to train on.");
        return (x, y);
    }

    /// <summary>Bottleneck features of every labelled row, from the disk cache when the same images, network and weights were seen before.</summary>
    private (Tensor Features, Tensor Labels) Bottlenecks(IDataView input, DataViewSchema.Column feature, DataViewSchema.Column label, NetworkInput networkInput, Model extractor)
    {
        var o = Options;
        string folder = o.WorkspacePath ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "mlnet-nets", "bottlenecks");
        string key = CacheKey(input, feature, label);
        string featuresPath = Path.Combine(folder, $"{key}.features.npy"), labelsPath = Path.Combine(folder, $"{key}.labels.npy");
        BottleneckCachePath = featuresPath;
        UsedCachedBottlenecks = false;
        if (o.ReuseCachedBottlenecks && File.Exists(featuresPath) && File.Exists(labelsPath))
        {
            try
            {
                var cachedFeatures = Npy.Read(featuresPath);
                var cachedLabels = Npy.Read(labelsPath);
                if (cachedFeatures.Rank == 2 && cachedLabels.Rank == 1 && cachedFeatures.Dim(0) == cachedLabels.Dim(0))
                {
                    UsedCachedBottlenecks = true;
                    _context.WriteLog("ImageClassification", $"Reusing {cachedFeatures.Dim(0)} cached bottlenecks from {featuresPath}.");
                    return (cachedFeatures, cachedLabels);
                }
            }
            catch (InvalidDataException e)
            {
                _context.WriteLog("ImageClassification", $"Ignoring an unreadable bottleneck cache ({e.Message}); recomputing.");
            }
        }
        var (x, y) = Pixels(input, feature, label, networkInput);
        var features = new List<Tensor>();
        for (int start = 0; start < x.Dim(0); start += 64)
        {
            o.CancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(64, x.Dim(0) - start);
            var f = extractor.Predict(x.Slice(start, count), batchSize: 64);
            features.Add(f.Reshape(count, f.Length / count));
            o.Progress?.Report(new TrainingProgress(0, 1, start / 64, (x.Dim(0) + 63) / 64, float.NaN, TimeSpan.Zero));
        }
        int width = features[0].Dim(1);
        var all = new Tensor(x.Dim(0), width);
        int at = 0;
        foreach (var part in features)
        {
            part.Span.CopyTo(all.Span[at..]);
            at += part.Length;
        }
        Directory.CreateDirectory(folder);
        Npy.Write(featuresPath, all);
        Npy.Write(labelsPath, y);
        return (all, y);
    }

    /// <summary>SHA-256 of everything the bottlenecks depend on: architecture, options, weights file, and each row's image and label.</summary>
    private string CacheKey(IDataView input, DataViewSchema.Column feature, DataViewSchema.Column label)
    {
        var o = Options;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var weights = new FileInfo(o.Weights!.Path);
        var z = o.ZooOptions;
        hash.AppendData(Encoding.UTF8.GetBytes($"{o.Architecture}|{z?.WidthMultiplier}|{z?.InputSize}|{z?.InputChannels}|{weights.FullName}|{weights.Length}|{weights.LastWriteTimeUtc.Ticks}|"));
        foreach (var batch in input.GetBatches([feature.Index, label.Index], DataBatch.DefaultSize, o.CancellationToken))
        {
            switch (batch.GetArray(feature.Index))
            {
                case string[] paths:
                    foreach (var p in paths)
                    {
                        var info = new FileInfo(p);
                        hash.AppendData(Encoding.UTF8.GetBytes($"{info.FullName}|{(info.Exists ? info.Length : -1)}|{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}\n"));
                    }
                    break;
                case float[] pixels:
                    hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()));
                    break;
                case Image?[] images:
                    foreach (var image in images) if (image is not null) hash.AppendData(image.Pixels);
                    break;
            }
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(batch.GetValues<uint>(label.Index).AsSpan()));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..32].ToLowerInvariant();
    }
}
