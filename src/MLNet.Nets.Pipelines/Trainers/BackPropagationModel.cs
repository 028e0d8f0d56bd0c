using MLNet.Nets.Kernels;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

namespace MLNet.Nets.Trainers;

/// <summary>
/// A trained back-propagation network with its input and output mappings: what the BP trainers' transformers hold
/// (<c>model.LastTransformer.Model</c>). <see cref="Predict"/> gives the raw outputs: the value in the label's units
/// for regression, logits (or probabilities when <see cref="OutputsAreProbabilities"/>) for classification.
/// </summary>
public sealed class BackPropagationModel
{
    internal BackPropagationModel(PredictionKind kind, Sequential network, MinMaxScaler? inputScaler, MinMaxScaler? outputScaler,
        bool outputsAreProbabilities, BackPropagationTrainingSummary summary, int ensembleSize = 1)
    {
        EnsembleSize = ensembleSize;
        Kind = kind;
        Network = network;
        InputScaler = inputScaler;
        OutputScaler = outputScaler;
        OutputsAreProbabilities = outputsAreProbabilities;
        Summary = summary;
        FeatureCount = ((Dense)network.Layers[0]).InputUnits;
        OutputCount = ((Dense)network.Layers[^1]).Units;
    }

    /// <summary>The task.</summary>
    public PredictionKind Kind { get; }

    /// <summary>The network: Dense layers, input side first.</summary>
    public Sequential Network { get; }

    /// <summary>The feature mapping to [-1, 1] (MATLAB mapminmax), or null.</summary>
    public MinMaxScaler? InputScaler { get; }

    /// <summary>The regression label mapping, reversed on the outputs, or null.</summary>
    public MinMaxScaler? OutputScaler { get; }

    /// <summary>True when the outputs are already probabilities (logsig outputs trained on 0/1 targets), false for logits.</summary>
    public bool OutputsAreProbabilities { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of outputs (1, or the class count for multiclass).</summary>
    public int OutputCount { get; }

    /// <summary>How training went: epochs, stop reason, per-epoch losses — of the first network of an ensemble.</summary>
    public BackPropagationTrainingSummary Summary { get; }

    /// <summary>How many trained networks <see cref="Network"/> averages (<see cref="BackPropagationOptions.EnsembleSize"/>); 1 for a single network.</summary>
    public int EnsembleSize { get; }

    /// <summary>
    /// The outputs [rows, OutputCount] for features [rows, FeatureCount] (row-major). Each row is computed on its own in
    /// double precision with a fixed order of operations, so a row's prediction is bit-identical whether it is scored
    /// alone (a prediction engine), in a batch of any size, in this process or in another.
    /// </summary>
    public Tensor Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2 || features.Dim(1) != FeatureCount)
        {
            throw new ArgumentException($"Features must be [N, {FeatureCount}] but are {features.ShapeString}.", nameof(features));
        }
        int rows = features.Dim(0);
        var result = new Tensor(rows, OutputCount);
        var layers = Network.Layers.Cast<Dense>().ToArray();
        int widest = Math.Max(FeatureCount, layers.Max(l => l.Units));
        var a = new double[widest];
        var b = new double[widest];
        var x = features.Span;
        var y = result.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < FeatureCount; i++) a[i] = x[r * FeatureCount + i];
            InputScaler?.TransformInPlace(a, 1);
            int inputs = FeatureCount;
            foreach (var layer in layers)
            {
                var w = layer.Weight.Value.Span;
                var bias = layer.Bias is null ? ReadOnlySpan<float>.Empty : layer.Bias.Value.Span;
                for (int j = 0; j < layer.Units; j++)
                {
                    double z = bias.IsEmpty ? 0 : bias[j];
                    var row = w.Slice(j * inputs, inputs);
                    for (int i = 0; i < inputs; i++) z += row[i] * a[i];
                    b[j] = ActivationMath.Value(layer.Activation, z);
                }
                (a, b) = (b, a);
                inputs = layer.Units;
            }
            for (int j = 0; j < OutputCount; j++)
            {
                double v = a[j];
                if (OutputScaler is not null)
                {
                    double gain = OutputScaler.InverseGain(j);
                    v = gain == 0 ? OutputScaler.DataMin[j] : (v - OutputScaler.RangeMin) * gain + OutputScaler.DataMin[j];
                }
                y[r * OutputCount + j] = (float)v;
            }
        }
        return result;
    }

    internal static Sequential NetworkFrom(IReadOnlyList<Dense> layers, int inputCount, int seed)
    {
        var copies = layers.Select((l, i) => (Layer)new Dense(l.Units, l.Activation, useBias: l.Bias is not null, name: i == layers.Count - 1 ? "output" : $"hidden{i}")).ToArray();
        var network = new Sequential([inputCount], seed, copies);
        for (int i = 0; i < layers.Count; i++)
        {
            var target = (Dense)copies[i];
            layers[i].Weight.Value.Span.CopyTo(target.Weight.Value.Span);
            if (layers[i].Bias is { } bias) bias.Value.Span.CopyTo(target.Bias!.Value.Span);
        }
        return network;
    }

    /// <summary>
    /// One network that outputs the mean of <paramref name="members"/>' outputs before the output transfer function: the
    /// first hidden layers side by side, deeper hidden layers block-diagonal (member k's units see only member k's units),
    /// the output layer side by side with its weights and bias divided by the count. The members must share the input and
    /// output mappings (they do when trained on the same rows) and the layer shapes. The summary is the first member's.
    /// </summary>
    internal static BackPropagationModel Average(IReadOnlyList<BackPropagationModel> members, int seed)
    {
        var first = members[0];
        var shapes = first.Network.Layers.Cast<Dense>().ToArray();
        foreach (var m in members.Skip(1))
        {
            var layers = m.Network.Layers.Cast<Dense>().ToArray();
            if (m.Kind != first.Kind || m.OutputsAreProbabilities != first.OutputsAreProbabilities || layers.Length != shapes.Length
                || layers.Zip(shapes).Any(p => p.First.Units != p.Second.Units || p.First.InputUnits != p.Second.InputUnits
                    || p.First.Activation != p.Second.Activation || (p.First.Bias is null) != (p.Second.Bias is null))
                || !SameMapping(m.InputScaler, first.InputScaler) || !SameMapping(m.OutputScaler, first.OutputScaler))
            {
                throw new ArgumentException("Networks of an ensemble must have the same layers and input/output mappings.", nameof(members));
            }
        }
        int n = members.Count, last = shapes.Length - 1;
        var merged = shapes.Select((l, i) => (Layer)new Dense(i == last ? l.Units : n * l.Units, l.Activation, useBias: l.Bias is not null,
            name: i == last ? "output" : $"hidden{i}")).ToArray();
        var network = new Sequential([first.FeatureCount], seed, merged);
        for (int i = 0; i <= last; i++)
        {
            var target = (Dense)merged[i];
            var w = target.Weight.Value.Span;
            var bias = target.Bias is null ? Span<float>.Empty : target.Bias.Value.Span;
            w.Clear();
            bias.Clear();
            int units = shapes[i].Units, inputs = shapes[i].InputUnits, wideInputs = target.InputUnits;
            for (int k = 0; k < n; k++)
            {
                var source = (Dense)members[k].Network.Layers[i];
                var sw = source.Weight.Value.Span;
                var sb = source.Bias is null ? ReadOnlySpan<float>.Empty : source.Bias.Value.Span;
                // Member k's rows of this layer, and the columns of its units in the layer below (all inputs for the first).
                int row0 = i == last ? 0 : k * units, col0 = i == 0 ? 0 : k * inputs;
                float scale = i == last ? 1f / n : 1f;
                for (int j = 0; j < units; j++)
                {
                    for (int c = 0; c < inputs; c++) w[(row0 + j) * wideInputs + col0 + c] += scale * sw[j * inputs + c];
                    if (!sb.IsEmpty) bias[row0 + j] += scale * sb[j];
                }
            }
        }
        return new BackPropagationModel(first.Kind, network, first.InputScaler, first.OutputScaler, first.OutputsAreProbabilities, first.Summary, n);

        static bool SameMapping(MinMaxScaler? a, MinMaxScaler? b) => a is null ? b is null : b is not null && a.RangeMin == b.RangeMin
            && a.RangeMax == b.RangeMax && a.DataMin.SequenceEqual(b.DataMin) && a.DataMax.SequenceEqual(b.DataMax);
    }

    internal void Save(ModelSaveContext context)
    {
        context.Config["kind"] = Kind.ToString();
        context.Config["ensembleSize"] = EnsembleSize;
        context.Config["outputsAreProbabilities"] = OutputsAreProbabilities;
        context.WriteModel("network", Network);
        SaveScaler(context, "input", InputScaler);
        SaveScaler(context, "output", OutputScaler);
        Summary.Save(context);
    }

    internal static BackPropagationModel Load(ModelLoadContext context)
    {
        var kind = Enum.Parse<PredictionKind>(context.Get<string>("kind"));
        var network = context.ReadModel("network") as Sequential
            ?? throw new InvalidDataException($"Model file '{context.Source}': the BP network is not a Sequential model.");
        if (network.Layers.Count == 0 || network.Layers.Any(l => l is not Dense))
        {
            throw new InvalidDataException($"Model file '{context.Source}': the BP network must consist of Dense layers.");
        }
        int features = ((Dense)network.Layers[0]).InputUnits, outputs = ((Dense)network.Layers[^1]).Units;
        int ensembleSize = context.Config.ContainsKey("ensembleSize") ? context.Get<int>("ensembleSize") : 1;
        if (ensembleSize is < 1 or > BackPropagationTrainer.MaxEnsembleSize)
        {
            throw new InvalidDataException($"Model file '{context.Source}': the BP ensemble size {ensembleSize} is not in [1, {BackPropagationTrainer.MaxEnsembleSize}].");
        }
        return new BackPropagationModel(kind, network, LoadScaler(context, "input", features), LoadScaler(context, "output", outputs),
            context.Get<bool>("outputsAreProbabilities"), BackPropagationTrainingSummary.Load(context), ensembleSize);
    }

    private static void SaveScaler(ModelSaveContext context, string name, MinMaxScaler? scaler)
    {
        if (scaler is null) return;
        context.Config[$"{name}RangeMin"] = scaler.RangeMin;
        context.Config[$"{name}RangeMax"] = scaler.RangeMax;
        context.WriteArray<double>($"{name}DataMin", scaler.DataMin.ToArray());
        context.WriteArray<double>($"{name}DataMax", scaler.DataMax.ToArray());
    }

    private static MinMaxScaler? LoadScaler(ModelLoadContext context, string name, int columns)
    {
        if (!context.Config.ContainsKey($"{name}RangeMin")) return null;
        var scaler = new MinMaxScaler(context.Get<double>($"{name}RangeMin"), context.Get<double>($"{name}RangeMax"));
        return scaler.SetRange(context.ReadArray<double>($"{name}DataMin", columns), context.ReadArray<double>($"{name}DataMax", columns));
    }
}
