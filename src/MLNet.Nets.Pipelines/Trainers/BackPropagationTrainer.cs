using System.Diagnostics;
using MLNet.Nets.Callbacks;
using MLNet.Nets.Data;
using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Optimizers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Trains a back-propagation network (multilayer perceptron) on a feature column and a label column: MATLAB's
/// <c>newff</c> + <c>train</c> as a pipeline estimator. Regression uses a linear (purelin) output on a Single label;
/// binary classification a sigmoid output on a Boolean label (calibrated <c>Probability</c>); multiclass a softmax over
/// the categories of a key label. Made by <c>nets.Regression.Trainers.BackPropagation(...)</c> and its classification twins.
/// </summary>
public sealed class BackPropagationTrainer : IEstimator<BackPropagationPredictionTransformer>
{
    private readonly NetsContext _context;

    internal BackPropagationTrainer(NetsContext context, PredictionKind kind, BackPropagationOptions options)
    {
        _context = context;
        Kind = kind;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.LabelColumnName);
        ArgumentException.ThrowIfNullOrEmpty(options.FeatureColumnName);
        ArgumentNullException.ThrowIfNull(options.HiddenLayers);
        if (options.HiddenLayers.Any(h => h < 1)) throw new ArgumentException($"Hidden layer sizes must be ≥ 1 but are [{string.Join(", ", options.HiddenLayers)}].");
        if (options.MaxEpochs < 0) throw new ArgumentOutOfRangeException(nameof(options), $"MaxEpochs must be ≥ 0 but is {options.MaxEpochs}.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(options), $"ValidationFraction must be in [0, 1) but is {options.ValidationFraction}.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be ≥ 1 but is {options.BatchSize}.");
        if (!(options.L2 >= 0)) throw new ArgumentOutOfRangeException(nameof(options), $"L2 must be ≥ 0 but is {options.L2}.");
        if (!(options.Dropout >= 0 && options.Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(options), $"Dropout must be in [0, 1) but is {options.Dropout}.");
        if (options.EnsembleSize is < 1 or > MaxEnsembleSize) throw new ArgumentOutOfRangeException(nameof(options), $"EnsembleSize must be in [1, {MaxEnsembleSize}] but is {options.EnsembleSize}.");
        if (options.Dropout > 0 && Algorithm is not (TrainingAlgorithm.Adam or TrainingAlgorithm.Sgd))
        {
            throw new ArgumentException($"Dropout ({options.Dropout}) needs a mini-batch algorithm (Adam or SGD) but the algorithm is {Algorithm}, " +
                "which computes exact whole-batch steps; set Dropout = 0 and regularize it with L2, or choose Adam or SGD.", nameof(options));
        }
    }

    /// <summary>The most networks <see cref="BackPropagationOptions.EnsembleSize"/> may average.</summary>
    public const int MaxEnsembleSize = 100;

    /// <summary>The task.</summary>
    public PredictionKind Kind { get; }

    /// <summary>The options.</summary>
    public BackPropagationOptions Options { get; }

    /// <summary>The algorithm that will run (the option, or the task's default).</summary>
    public TrainingAlgorithm Algorithm => Options.Algorithm ?? (Kind == PredictionKind.Regression ? TrainingAlgorithm.LevenbergMarquardt : TrainingAlgorithm.Adam);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it), or there are no rows.</exception>
    /// <exception cref="InvalidDataException">A feature is NaN or infinite (the message names the row and slot).</exception>
    /// <exception cref="TrainingDivergedException">The loss became non-finite; the network keeps the last good weights.</exception>
    public BackPropagationPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        int seed = o.Seed ?? _context.NextSeed();
        var featureColumn = input.Schema.GetColumnOrNull(o.FeatureColumnName)
            ?? throw new ArgumentException($"The feature column '{o.FeatureColumnName}' is not in the data. Columns: {string.Join(", ", input.Schema.Select(c => c.Name))}. Use nets.Transforms.Concatenate(\"{o.FeatureColumnName}\", …) to build it.");
        if (featureColumn.Type.Kind != DataKind.Single)
        {
            throw new ArgumentException($"The feature column '{o.FeatureColumnName}' must hold Single values but holds {featureColumn.Type}.");
        }
        var labelColumn = input.Schema.GetColumnOrNull(o.LabelColumnName)
            ?? throw new ArgumentException($"The label column '{o.LabelColumnName}' is not in the data. Columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.");
        CheckLabel(labelColumn);
        int classes = Kind == PredictionKind.MulticlassClassification ? ((KeyDataViewType)labelColumn.Type).Count : 0;
        var (x, y, rows, skipped) = ReadRows(input, featureColumn, labelColumn, o.CancellationToken);
        if (rows == 0) throw new ArgumentException($"There are no rows with a label to train on ('{o.LabelColumnName}').");
        if (skipped > 0) _context.WriteLog("BackPropagation", $"Skipped {skipped} rows whose label '{o.LabelColumnName}' is missing.");
        int features = featureColumn.Type.Size;
        var members = new BackPropagationModel[o.EnsembleSize];
        for (int k = 0; k < members.Length; k++)
        {
            // The first network is the one a single fit with this seed trains; the others draw their initial weights,
            // validation rows and shuffles from seeds of their own.
            int memberSeed = k == 0 ? seed : Seeds.Combine(seed, k);
            var (trainRows, validationRows) = Divide(rows, o.ValidationFraction, memberSeed);
            var member = new Member(k + 1, members.Length);
            members[k] = Algorithm is TrainingAlgorithm.LevenbergMarquardt or TrainingAlgorithm.GradientDescentAdaptive
                ? TrainFullBatch(x, y, rows, features, classes, trainRows, validationRows, memberSeed, member)
                : TrainMiniBatch(x, y, rows, features, classes, trainRows, validationRows, memberSeed, member);
            _context.WriteLog("BackPropagation", members.Length == 1 ? members[k].Summary.ToString() : $"network {k + 1}/{members.Length}: {members[k].Summary}");
        }
        var model = members.Length == 1 ? members[0] : BackPropagationModel.Average(members, seed);
        var keyValues = Kind == PredictionKind.MulticlassClassification ? labelColumn.Annotations.KeyValues : null;
        return new BackPropagationPredictionTransformer(model, o.FeatureColumnName, o.LabelColumnName, keyValues, classes);
    }

    private void CheckLabel(DataViewSchema.Column label)
    {
        var t = label.Type;
        bool ok = Kind switch
        {
            PredictionKind.Regression => t is NumberDataViewType { Kind: DataKind.Single or DataKind.Double or DataKind.Int32 },
            PredictionKind.BinaryClassification => t is BooleanDataViewType || t is NumberDataViewType,
            _ => t is KeyDataViewType,
        };
        if (ok) return;
        string hint = Kind switch
        {
            PredictionKind.Regression => "a Single number",
            PredictionKind.BinaryClassification => "Boolean (or a number 0/1)",
            _ => $"a key; add nets.Transforms.Conversion.MapValueToKey(\"{label.Name}\") before the trainer",
        };
        throw new ArgumentException($"The label column '{label.Name}' holds {t}; it must be {hint}.");
    }

    private (float[] X, float[] Y, int Rows, int Skipped) ReadRows(IDataView input, DataViewSchema.Column feature, DataViewSchema.Column label,
        CancellationToken cancellationToken)
    {
        int f = feature.Type.Size;
        var xs = new List<float>();
        var ys = new List<float>();
        int skipped = 0;
        long row = 0;
        foreach (var batch in input.GetBatches([feature.Index, label.Index], DataBatch.DefaultSize, cancellationToken))
        {
            var fx = batch.GetValues<float>(feature.Index);
            var labels = batch.GetArray(label.Index);
            for (int r = 0; r < batch.RowCount; r++, row++)
            {
                float target = LabelValue(labels, r);
                if (float.IsNaN(target)) { skipped++; continue; }
                for (int j = 0; j < f; j++)
                {
                    float v = fx[r * f + j];
                    if (!float.IsFinite(v))
                    {
                        var slots = feature.Annotations.SlotNames;
                        string slot = f == 1 ? "" : slots is not null && j < slots.Count ? $", slot {j} ('{slots[j]}')" : $", slot {j}";
                        throw new InvalidDataException($"The feature column '{feature.Name}' is {v} at row {row}{slot}; replace missing values (nets.Transforms.ReplaceMissingValues) or fix the data.");
                    }
                }
                xs.AddRange(fx.AsSpan(r * f, f));
                ys.Add(target);
            }
        }
        return (xs.ToArray(), ys.ToArray(), ys.Count, skipped);
    }

    /// <summary>The label as a float: the value (regression), 0/1 (binary), the 0-based class (multiclass); NaN when missing.</summary>
    private float LabelValue(Array labels, int r)
    {
        float value = (float)LabelValues.Read(labels, r);
        return Kind == PredictionKind.BinaryClassification && labels is not bool[] ? Binary(value) : value;
    }

    private float Binary(float v) => float.IsNaN(v) ? float.NaN : v == 0 ? 0f : v == 1 ? 1f
        : throw new InvalidDataException($"The binary label '{Options.LabelColumnName}' holds {v}; it must be 0 or 1 (or Boolean).");

    private static (int[] Train, int[] Validation) Divide(int rows, double fraction, int seed)
    {
        int validation = (int)Math.Round(fraction * rows);
        if (rows - validation < 1) validation = rows - 1;
        var order = DataDivision.Permutation(rows, seed);
        var train = order[validation..];
        var val = order[..validation];
        Array.Sort(train);
        Array.Sort(val);
        return (train, val);
    }

    private int OutputCount(int classes) => Kind == PredictionKind.MulticlassClassification ? classes : 1;

    private BackPropagationModel TrainFullBatch(float[] x, float[] y, int rows, int features, int classes, int[] train, int[] validation, int seed, Member member)
    {
        var o = Options;
        int outputs = OutputCount(classes);
        var outputActivation = Kind == PredictionKind.Regression ? Activation.Purelin : Activation.Logsig;
        var net = FeedForwardNetwork.Create(features, o.HiddenLayers, outputs, o.HiddenActivation, outputActivation, seed);
        net.NormalizeInputs = o.NormalizeFeatures;
        net.NormalizeTargets = Kind == PredictionKind.Regression && o.NormalizeLabel;
        var targets = Kind == PredictionKind.MulticlassClassification ? OneHot(y, classes) : y;
        FeedForwardTrainer trainer = Algorithm == TrainingAlgorithm.LevenbergMarquardt
            ? new LevenbergMarquardt(new LevenbergMarquardtOptions { Epochs = o.MaxEpochs, Goal = o.Goal, MaxFail = o.MaxValidationFailures, Regularization = Math.Min(o.L2, 0.99) })
            : new GradientDescentAdaptive(new GradientDescentAdaptiveOptions { Epochs = o.MaxEpochs, Goal = o.Goal, MaxFail = o.MaxValidationFailures });
        var reporter = o.Progress is null ? null : new SynchronousProgress<FeedForwardTrainingProgress>(p =>
            o.Progress!.Report(new BackPropagationProgress(p.Epoch, o.MaxEpochs, p.Performance, p.ValidationPerformance, p.Elapsed)
            {
                Network = member.Index, EnsembleSize = member.Count,
            }));
        var division = DataDivision.FromIndices(rows, train, validation);
        var result = net.Train(new Tensor(x, rows, features), new Tensor(targets, rows, outputs), trainer, division, reporter, o.CancellationToken);
        var summary = new BackPropagationTrainingSummary(Algorithm, result.Epochs, result.BestEpoch, result.StopMessage,
            result.History.Select(h => h.Performance).ToArray(), result.History.Select(h => h.ValidationPerformance).ToArray(), result.Elapsed,
            result.StoppedByEpochLimitOnly);
        var network = BackPropagationModel.NetworkFrom(net.Layers, features, seed);
        return new BackPropagationModel(Kind, network, net.InputScaler, net.OutputScaler, Kind != PredictionKind.Regression, summary);
    }

    private BackPropagationModel TrainMiniBatch(float[] x, float[] y, int rows, int features, int classes, int[] train, int[] validation, int seed, Member member)
    {
        var o = Options;
        int outputs = OutputCount(classes);
        // Dropout layers get seeds of their own so that they do not draw from the network's generator: the initial weights
        // are the same at every rate.
        var layers = o.HiddenLayers.SelectMany((h, i) => o.Dropout > 0
                ? new Layer[] { new Dense(h, o.HiddenActivation, name: $"hidden{i}"), new Dropout(o.Dropout, Seeds.Combine(seed, i), name: $"dropout{i}") }
                : [new Dense(h, o.HiddenActivation, name: $"hidden{i}")])
            .Append(new Dense(outputs, Activation.Linear, name: "output")).ToArray();
        var network = new Sequential([features], seed, layers);
        var xAll = new Tensor(x, rows, features);
        var yAll = Kind == PredictionKind.MulticlassClassification ? new Tensor(y, rows) : new Tensor(y, rows, 1);
        var inputScaler = o.NormalizeFeatures ? new MinMaxScaler().Fit(xAll) : null;
        var outputScaler = Kind == PredictionKind.Regression && o.NormalizeLabel ? new MinMaxScaler().Fit(yAll) : null;
        var xs = inputScaler?.Transform(xAll) ?? xAll;
        var ys = outputScaler?.Transform(yAll) ?? yAll;
        Optimizer optimizer = Algorithm == TrainingAlgorithm.Adam
            ? new Adam(o.LearningRate ?? 1e-3f)
            : new Sgd(o.LearningRate ?? 0.01f, momentum: o.Momentum);
        Loss loss = Kind switch
        {
            PredictionKind.Regression => new MeanSquaredError(),
            PredictionKind.BinaryClassification => new BinaryCrossEntropy(fromLogits: true),
            _ => new SparseCategoricalCrossEntropy(fromLogits: true),
        };
        if (o.L2 > 0)
        {
            foreach (var layer in network.Layers.OfType<Dense>()) layer.Weight.L2 = o.L2;
        }
        network.Compile(optimizer, loss);
        var callbacks = new List<Callback> { new EpochReporter(o, member, Stopwatch.StartNew()) };
        (Tensor, Tensor)? validationData = null;
        EarlyStopping? early = null;
        if (validation.Length > 0)
        {
            validationData = (DataDivision.TakeRows(xs, validation), DataDivision.TakeRows(ys, validation));
            early = new EarlyStopping("val_loss", patience: o.MaxValidationFailures, restoreBestWeights: true);
            callbacks.Add(early);
        }
        var watch = Stopwatch.StartNew();
        var history = network.Fit(DataDivision.TakeRows(xs, train), DataDivision.TakeRows(ys, train), o.BatchSize, o.MaxEpochs,
            validationData: validationData, callbacks: callbacks, cancellationToken: o.CancellationToken, seed: seed);
        var lossHistory = history.Contains("loss") ? history["loss"].Select(v => (double)v).ToArray() : [];
        var valHistory = history.Contains("val_loss") ? history["val_loss"].Select(v => (double)v).ToArray() : lossHistory.Select(_ => double.NaN).ToArray();
        // Keras's rule: early stopping that fires on the last epoch is a validation stop, so the limit alone ended training
        // only when neither it nor the goal did.
        bool validationStop = early is { StoppedEpoch: >= 0 };
        bool goalMet = !validationStop && lossHistory.Length > 0 && lossHistory[^1] <= o.Goal;
        string reason = validationStop ? "Validation stop." : goalMet ? "Performance goal met." : "Maximum epoch reached.";
        int best = early is { BestEpoch: >= 0 } ? early.BestEpoch + 1 : history.Epochs;
        var summary = new BackPropagationTrainingSummary(Algorithm, history.Epochs, best, reason, lossHistory, valHistory, watch.Elapsed,
            stoppedByEpochLimitOnly: !validationStop && !goalMet);
        // Dropout is the identity outside training: the model keeps the Dense layers with the trained weights.
        if (o.Dropout > 0) network = BackPropagationModel.NetworkFrom(network.Layers.OfType<Dense>().ToList(), features, seed);
        return new BackPropagationModel(Kind, network, inputScaler, outputScaler, outputsAreProbabilities: false, summary);
    }

    private static float[] OneHot(float[] classes, int count)
    {
        var t = new float[classes.Length * count];
        for (int i = 0; i < classes.Length; i++) t[i * count + (int)classes[i]] = 1f;
        return t;
    }

    /// <summary>Reports epochs and stops at the goal.</summary>
    private sealed class EpochReporter(BackPropagationOptions options, Member member, Stopwatch watch) : Callback
    {
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
        {
            double loss = logs.TryGetValue("loss", out float l) ? l : double.NaN;
            double val = logs.TryGetValue("val_loss", out float v) ? v : double.NaN;
            options.Progress?.Report(new BackPropagationProgress(epoch + 1, options.MaxEpochs, loss, val, watch.Elapsed)
            {
                Network = member.Index, EnsembleSize = member.Count,
            });
            if (loss <= options.Goal && Model is not null) Model.StopTraining = true;
        }
    }

    /// <summary>Which network of the ensemble is training (1-based) and of how many.</summary>
    private readonly record struct Member(int Index, int Count);

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to a synchronization context).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
