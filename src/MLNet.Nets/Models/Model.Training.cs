using System.Diagnostics;
using MLNet.Nets.Callbacks;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

namespace MLNet.Nets.Models;

public partial class Model
{
    private Metric[] _metrics = [];
    private BatchBuffers? _fullBatch;
    private BatchBuffers? _lastBatch;
    private Tensor[]? _snapshot;
    private Tensor? _gradient;

    /// <summary>The optimizer given to <see cref="Compile(Optimizer, Loss, string[])"/>, or null.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to <see cref="Compile(Optimizer, Loss, string[])"/>, or null.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics computed by <c>Fit</c> and <c>Evaluate</c> besides the loss.</summary>
    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>Prepares the model for training.</summary>
    /// <param name="optimizer">The update rule, e.g. <c>new Adam(1e-3f)</c>.</param>
    /// <param name="loss">The objective, e.g. <c>new SparseCategoricalCrossEntropy()</c> (from logits).</param>
    /// <param name="metrics">Names of metrics to report: <c>accuracy</c>, <c>mae</c>, <c>mse</c>.</param>
    public void Compile(Optimizer optimizer, Loss loss, params string[] metrics)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        Optimizer = optimizer;
        Loss = loss;
        _metrics = metrics.Select(m => Metric.FromName(m, loss)).ToArray();
    }

    /// <summary>Prepares the model for training with a loss given by name (see <see cref="Loss.FromName(string)"/>).</summary>
    public void Compile(Optimizer optimizer, string loss, params string[] metrics) => Compile(optimizer, Loss.FromName(loss), metrics);

    /// <summary>
    /// Trains the model on (<paramref name="x"/>, <paramref name="y"/>) for <paramref name="epochs"/> epochs of mini-batches.
    /// </summary>
    /// <param name="x">Inputs [N, input shape...] (e.g. [N, 1, 28, 28] images scaled to [0, 1]).</param>
    /// <param name="y">Targets: [N] class indices stored as floats for sparse cross-entropy, otherwise shaped like the output.</param>
    /// <param name="batchSize">Samples per step; default 32. The last batch of an epoch may be smaller.</param>
    /// <param name="epochs">Passes over the training data; default 1.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the samples, taken from the end before shuffling (as Keras),
    /// held out for validation; ignored when <paramref name="validationData"/> is given. Default 0.</param>
    /// <param name="validationData">Explicit validation inputs and targets; default none.</param>
    /// <param name="shuffle">Shuffle the training samples every epoch; default true.</param>
    /// <param name="classWeight">Weight of each class index in the loss (missing classes weigh 1); default none.</param>
    /// <param name="callbacks">Hooks such as <see cref="EarlyStopping"/>; default none.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every batch; default none.</param>
    /// <param name="cancellationToken">Checked between batches; cancelling throws <see cref="OperationCanceledException"/>
    /// with the weights of the last completed batch in place.</param>
    /// <param name="seed">Seed of the shuffling; default <see cref="Seed"/>.</param>
    /// <returns>Per-epoch values of the loss, metrics, validation loss and metrics, and learning rate.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">The data do not fit the model (the message names the shapes).</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; the last good weights are restored.</exception>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, float validationSplit = 0f,
        (Tensor x, Tensor y)? validationData = null, bool shuffle = true, IReadOnlyDictionary<int, float>? classWeight = null,
        IReadOnlyList<Callback>? callbacks = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var optimizer = Optimizer ?? throw new InvalidOperationException("Call Compile(optimizer, loss, metrics) before Fit.");
        var loss = Loss!;
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be ≥ 1.");
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Epochs must be ≥ 0.");
        if (!(validationSplit >= 0 && validationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "The validation split must be in [0, 1).");
        }
        CheckData(x, y, "training");
        EnsureBuilt(x.Shape[1..]);
        RequireSingleInputOutput();

        Tensor trainX = x, trainY = y;
        Tensor? valX = null, valY = null;
        if (validationData is { } vd)
        {
            CheckData(vd.x, vd.y, "validation");
            (valX, valY) = vd;
        }
        else if (validationSplit > 0)
        {
            int nVal = (int)(x.Dim(0) * (double)validationSplit);
            int nTrain = x.Dim(0) - nVal;
            if (nVal == 0 || nTrain == 0)
            {
                throw new ArgumentException($"A validation split of {validationSplit} of {x.Dim(0)} samples leaves an empty part.", nameof(validationSplit));
            }
            trainX = x.Slice(0, nTrain);
            trainY = y.Slice(0, nTrain);
            valX = x.Slice(nTrain, nVal);
            valY = y.Slice(nTrain, nVal);
        }

        int n = trainX.Dim(0);
        if (n == 0) throw new ArgumentException("There are no training samples.", nameof(x));
        int batches = (n + batchSize - 1) / batchSize;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed ?? Seed);
        return FitCore(_ => TensorBatches(trainX, trainY, order, random, batchSize, shuffle, classWeight), batches, epochs, valX, valY, batchSize,
            callbacks, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on batches that <paramref name="batches"/> produces for each epoch — for data read from disk or decoded on
    /// the fly, which need not fit in memory. Callbacks, progress, cancellation and the NaN stop work as in
    /// <see cref="Fit(Tensor, Tensor, int, int, float, ValueTuple{Tensor, Tensor}?, bool, IReadOnlyDictionary{int, float}?, IReadOnlyList{Callback}?, IProgress{TrainingProgress}?, CancellationToken, int?)"/>.
    /// </summary>
    /// <param name="batches">Given the 0-based epoch, the (inputs [B, ...], targets [B, ...]) batches of that epoch, in training order.
    /// The tensors may be reused by the producer once the next batch is requested.</param>
    /// <param name="epochs">Passes; default 1.</param>
    /// <param name="batchesPerEpoch">Batches per epoch for progress reports, or 0 when unknown.</param>
    /// <param name="validationData">Validation inputs and targets evaluated after every epoch; default none.</param>
    /// <param name="validationBatchSize">Samples per forward pass of the validation; default 32.</param>
    /// <param name="callbacks">Hooks such as <see cref="EarlyStopping"/>; default none.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every batch; default none.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public History Fit(Func<int, IEnumerable<(Tensor X, Tensor Y)>> batches, int epochs = 1, int batchesPerEpoch = 0,
        (Tensor x, Tensor y)? validationData = null, int validationBatchSize = 32, IReadOnlyList<Callback>? callbacks = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (Optimizer is null) throw new InvalidOperationException("Call Compile(optimizer, loss, metrics) before Fit.");
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Epochs must be ≥ 0.");
        Tensor? valX = null, valY = null;
        if (validationData is { } vd)
        {
            CheckData(vd.x, vd.y, "validation");
            (valX, valY) = vd;
            EnsureBuilt(valX.Shape[1..]);
        }
        return FitCore(epoch => batches(epoch).Select(b =>
        {
            CheckData(b.X, b.Y, "training");
            EnsureBuilt(b.X.Shape[1..]);
            RequireSingleInputOutput();
            return (b.X, b.Y, Array.Empty<float>());
        }), batchesPerEpoch, epochs, valX, valY, validationBatchSize, callbacks, progress, cancellationToken);
    }

    private IEnumerable<(Tensor X, Tensor Y, float[] Weights)> TensorBatches(Tensor trainX, Tensor trainY, int[] order, Random random, int batchSize,
        bool shuffle, IReadOnlyDictionary<int, float>? classWeight)
    {
        int n = trainX.Dim(0);
        int xPer = trainX.Length / n, yPer = trainY.Length / n;
        if (shuffle) random.Shuffle(order);
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            var buffers = BuffersFor(count, batchSize, trainX, trainY, classWeight is not null);
            var xs = trainX.Span;
            var ys = trainY.Span;
            var xb = buffers.X.Span;
            var yb = buffers.Y.Span;
            for (int i = 0; i < count; i++)
            {
                int src = order[start + i];
                xs.Slice(src * xPer, xPer).CopyTo(xb.Slice(i * xPer, xPer));
                ys.Slice(src * yPer, yPer).CopyTo(yb.Slice(i * yPer, yPer));
            }
            if (classWeight is not null) FillClassWeights(buffers, classWeight, yPer);
            yield return (buffers.X, buffers.Y, buffers.Weights);
        }
    }

    private History FitCore(Func<int, IEnumerable<(Tensor X, Tensor Y, float[] Weights)>> source, int batches, int epochs, Tensor? valX, Tensor? valY,
        int validationBatchSize, IReadOnlyList<Callback>? callbacks, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var optimizer = Optimizer!;
        var loss = Loss!;
        UpdateGradientFlags();
        var trainable = _parameters.Where(p => p.Trainable).ToArray();
        bool regularized = trainable.Any(p => p.L1 != 0 || p.L2 != 0);
        var history = new History();
        var callbackList = callbacks?.ToArray() ?? []; // an array: no enumerator allocation per batch
        StopTraining = false;
        foreach (var cb in callbackList)
        {
            cb.Model = this;
            cb.OnTrainBegin();
        }
        var logs = new Dictionary<string, float>(StringComparer.Ordinal);
        var clock = new Stopwatch();

        for (int epoch = 0; epoch < epochs && !StopTraining; epoch++)
        {
            foreach (var cb in callbackList) cb.OnEpochBegin(epoch);
            foreach (var m in _metrics) m.Reset();
            double lossSum = 0;
            long seen = 0;
            int b = 0;
            clock.Restart();
            foreach (var (xb, yb, weights) in source(epoch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_snapshot is null || _snapshot.Length != _weights.Length) EnsureSnapshot();
                int count = xb.Dim(0);
                var output = Forward(xb, training: true);
                var gradient = Tensor.Reuse(ref _gradient, output.Shape);
                float batchLoss = loss.Compute(output, yb, gradient, weights);
                if (regularized) batchLoss += (float)Optimizers.Optimizer.RegularizationPenalty(trainable);
                if (!float.IsFinite(batchLoss))
                {
                    RestoreSnapshot();
                    throw new TrainingDivergedException(epoch, b, batchLoss);
                }
                TakeSnapshot();
                foreach (var m in _metrics) m.Update(output, yb);
                Backward(gradient);
                optimizer.Step(trainable);

                lossSum += (double)batchLoss * count;
                seen += count;
                foreach (var cb in callbackList) cb.OnBatchEnd(epoch, b, batchLoss);
                progress?.Report(new TrainingProgress(epoch, epochs, b, Math.Max(batches, b + 1), (float)(lossSum / seen), clock.Elapsed));
                b++;
            }
            if (seen == 0) throw new ArgumentException($"Epoch {epoch + 1} had no training samples.");

            logs.Clear();
            logs["loss"] = (float)(lossSum / seen);
            foreach (var m in _metrics) logs[m.Name] = m.Result;
            if (valX is not null)
            {
                foreach (var (key, value) in Evaluate(valX, valY!, validationBatchSize)) logs["val_" + key] = value;
            }
            logs["lr"] = optimizer.LearningRate;
            history.Append(logs);
            foreach (var cb in callbackList) cb.OnEpochEnd(epoch, logs);
        }
        foreach (var cb in callbackList) cb.OnTrainEnd();
        return history;
    }

    /// <summary>Computes the loss and the compiled metrics on (<paramref name="x"/>, <paramref name="y"/>) in inference mode.</summary>
    /// <param name="x">Inputs [N, input shape...].</param>
    /// <param name="y">Targets, as for <c>Fit</c>.</param>
    /// <param name="batchSize">Samples per forward pass; default 32.</param>
    /// <returns><c>loss</c> and one entry per metric (e.g. <c>accuracy</c>).</returns>
    public IReadOnlyDictionary<string, float> Evaluate(Tensor x, Tensor y, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var loss = Loss ?? throw new InvalidOperationException("Call Compile(optimizer, loss, metrics) before Evaluate.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be ≥ 1.");
        CheckData(x, y, "evaluation");
        EnsureBuilt(x.Shape[1..]);
        RequireSingleInputOutput();
        int n = x.Dim(0);
        foreach (var m in _metrics) m.Reset();
        double sum = 0;
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            var yb = y.Slice(start, count);
            var output = Forward(x.Slice(start, count), training: false);
            sum += (double)loss.Compute(output, yb) * count;
            foreach (var m in _metrics) m.Update(output, yb);
        }
        var result = new Dictionary<string, float>(StringComparer.Ordinal) { ["loss"] = n == 0 ? float.NaN : (float)(sum / n) };
        foreach (var m in _metrics) result[m.Name] = m.Result;
        return result;
    }

    /// <summary>Runs the model in inference mode over <paramref name="x"/> in batches and returns all outputs.</summary>
    /// <param name="x">Inputs [N, input shape...].</param>
    /// <param name="batchSize">Samples per forward pass; default 32.</param>
    /// <returns>A new tensor [N, output shape...] (logits when the model ends without softmax).</returns>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be ≥ 1.");
        if (x.Rank < 2) throw new ArgumentException($"Predict expects a batch [N, ...] but got {x.ShapeString}.", nameof(x));
        EnsureBuilt(x.Shape[1..]);
        RequireSingleInputOutput();
        int n = x.Dim(0);
        var outShape = new int[_outputs[0].Shape.Length + 1];
        outShape[0] = n;
        _outputs[0].Shape.CopyTo(outShape, 1);
        var result = new Tensor(outShape);
        int per = n == 0 ? 0 : result.Length / n;
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            var output = Forward(x.Slice(start, count), training: false);
            output.Span.CopyTo(result.Span.Slice(start * per, count * per));
        }
        return result;
    }

    private void RequireSingleInputOutput()
    {
        if (_inputs.Length != 1 || _outputs.Length != 1)
        {
            throw new InvalidOperationException(
                $"Fit, Evaluate and Predict take one input and one output tensor; this model has {_inputs.Length} input(s) and " +
                $"{_outputs.Length} output(s). Use Forward/Backward with an optimizer for other graphs.");
        }
    }

    private static void CheckData(Tensor x, Tensor y, string what)
    {
        if (x.Rank < 2) throw new ArgumentException($"The {what} inputs must be a batch [N, ...] but are {x.ShapeString}.");
        if (y.Rank < 1 || y.Dim(0) != x.Dim(0))
        {
            throw new ArgumentException($"The {what} inputs {x.ShapeString} and targets {y.ShapeString} have different sample counts.");
        }
    }

    private BatchBuffers BuffersFor(int count, int batchSize, Tensor x, Tensor y, bool weighted)
    {
        // Two buffer sets: full batches and the smaller last batch of an epoch, so steady state allocates nothing.
        var buffers = _fullBatch?.Count == count ? _fullBatch : _lastBatch?.Count == count ? _lastBatch : null;
        if (buffers is null || !SameSampleShape(buffers.X, x) || !SameSampleShape(buffers.Y, y))
        {
            buffers = new BatchBuffers(count, x, y);
            if (count == batchSize) _fullBatch = buffers;
            else _lastBatch = buffers;
        }
        if (!weighted) buffers.Weights = [];
        else if (buffers.Weights.Length != count) buffers.Weights = new float[count];
        return buffers;
    }

    private static bool SameSampleShape(Tensor buffer, Tensor data) => buffer.Shape[1..].SequenceEqual(data.Shape[1..]);

    private static void FillClassWeights(BatchBuffers buffers, IReadOnlyDictionary<int, float> classWeight, int yPer)
    {
        var y = buffers.Y.Span;
        var w = buffers.Weights.AsSpan();
        for (int i = 0; i < w.Length; i++)
        {
            var yi = y.Slice(i * yPer, yPer);
            int label;
            if (yPer == 1)
            {
                label = (int)yi[0];
            }
            else
            {
                label = 0;
                for (int j = 1; j < yi.Length; j++) if (yi[j] > yi[label]) label = j;
            }
            w[i] = classWeight.TryGetValue(label, out float cw) ? cw : 1f;
        }
    }

    private void EnsureSnapshot()
    {
        if (_snapshot is not null && _snapshot.Length == _weights.Length) return;
        _snapshot = _weights.Select(w => new Tensor(w.Value.Shape)).ToArray();
        TakeSnapshot();
    }

    private void TakeSnapshot()
    {
        for (int i = 0; i < _weights.Length; i++) _weights[i].Value.CopyTo(_snapshot![i]);
    }

    private void RestoreSnapshot()
    {
        for (int i = 0; i < _weights.Length; i++) _snapshot![i].CopyTo(_weights[i].Value);
    }

    private sealed class BatchBuffers
    {
        public BatchBuffers(int count, Tensor x, Tensor y)
        {
            Count = count;
            X = new Tensor([count, .. x.Shape[1..]]);
            Y = new Tensor([count, .. y.Shape[1..]]);
        }

        public int Count { get; }
        public Tensor X { get; }
        public Tensor Y { get; }
        public float[] Weights = [];
    }
}
