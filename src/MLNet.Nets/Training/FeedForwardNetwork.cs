using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>
/// A feed-forward (BP) network the MATLAB way — <c>feedforwardnet</c>/<c>newff</c> plus <c>train</c>: a chain of
/// <see cref="Dense"/> layers initialised by Nguyen–Widrow, inputs and targets mapped to [-1, 1] by
/// <see cref="MinMaxScaler"/>, rows divided into training/validation/test, and full-batch training by
/// <see cref="LevenbergMarquardt"/> (default) or <see cref="GradientDescentAdaptive"/>.
/// </summary>
/// <example>
/// <code>
/// var net = FeedForwardNetwork.Create(13, [10], 1, seed: 1);     // 13-10-1, tansig/purelin
/// var result = net.Train(x, y);                                // trainlm, dividerand 0.70/0.15/0.15
/// Console.WriteLine(result.StopMessage);                       // e.g. "Validation stop."
/// Tensor predictions = net.Predict(xNew);                      // [N, 1], in the targets' units
/// </code>
/// </example>
public sealed class FeedForwardNetwork
{
    private readonly Dense[] _layers;

    private FeedForwardNetwork(Dense[] layers, int seed)
    {
        _layers = layers;
        Seed = seed;
    }

    /// <summary>
    /// Builds an inputCount-hidden…-outputCount network of <see cref="Dense"/> layers and initialises it with
    /// Nguyen–Widrow (MATLAB <c>initnw</c>).
    /// </summary>
    /// <param name="inputCount">Number of inputs (features), ≥ 1.</param>
    /// <param name="hiddenSizes">Units of each hidden layer, e.g. [10]; may be empty for a single-layer network.</param>
    /// <param name="outputCount">Number of outputs, ≥ 1.</param>
    /// <param name="hidden">Transfer function of the hidden layers; default tansig.</param>
    /// <param name="output">Transfer function of the output layer; default purelin.</param>
    /// <param name="seed">Seed of the initial weights and of the default data division.</param>
    public static FeedForwardNetwork Create(int inputCount, int[] hiddenSizes, int outputCount,
        Activation hidden = Activation.Tansig, Activation output = Activation.Purelin, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        var layers = new Dense[hiddenSizes.Length + 1];
        int inputs = inputCount;
        for (int l = 0; l < layers.Length; l++)
        {
            bool last = l == hiddenSizes.Length;
            int units = last ? outputCount : hiddenSizes[l];
            if (units < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSizes), $"Hidden layer {l} has {units} units.");
            var activation = last ? output : hidden;
            if (!ActivationMath.IsElementWise(activation))
            {
                throw new ArgumentException($"{activation} is not element-wise; BP networks use tansig, logsig, purelin, ReLU, ….");
            }
            layers[l] = new Dense(units, activation, name: last ? "output" : $"hidden{l}");
            layers[l].Build([[inputs]], new Random(seed));
            inputs = units;
        }
        var net = new FeedForwardNetwork(layers, seed);
        net.Initialize(seed);
        return net;
    }

    /// <summary>The layers, input side first.</summary>
    public IReadOnlyList<Dense> Layers => _layers;

    /// <summary>Number of inputs.</summary>
    public int InputCount => _layers[0].InputUnits;

    /// <summary>Number of outputs.</summary>
    public int OutputCount => _layers[^1].Units;

    /// <summary>The seed given to <see cref="Create"/>; the default data division uses it.</summary>
    public int Seed { get; }

    /// <summary>Map inputs to [-1, 1] with a <see cref="MinMaxScaler"/> fitted in <c>Train</c> (MATLAB's default). Default true.</summary>
    public bool NormalizeInputs { get; set; } = true;

    /// <summary>Map targets to [-1, 1] for training and back for predictions (MATLAB's default). Default true.</summary>
    public bool NormalizeTargets { get; set; } = true;

    /// <summary>The input mapping fitted by the last <c>Train</c>, or null.</summary>
    public MinMaxScaler? InputScaler { get; private set; }

    /// <summary>The target mapping fitted by the last <c>Train</c>, or null.</summary>
    public MinMaxScaler? OutputScaler { get; private set; }

    /// <summary>Re-initialises every layer with Nguyen–Widrow from <paramref name="seed"/> (MATLAB <c>init(net)</c>).</summary>
    public void Initialize(int seed)
    {
        var random = new Random(seed);
        foreach (var layer in _layers) InitializeNguyenWidrow(layer, random);
    }

    /// <summary>
    /// Nguyen–Widrow initialisation (MATLAB <c>initnw</c>) of a built Dense layer whose inputs lie in
    /// [<paramref name="inputMin"/>, <paramref name="inputMax"/>]: weight rows of random direction and length
    /// 0.7·units^(1/inputs), biases spread evenly, both scaled so that the net inputs cover the activation's active
    /// range (tansig [-2, 2], logsig [-4, 4]). For an activation without a bounded active range (purelin, ReLU, …)
    /// weights and biases are uniform in [-1, 1], as MATLAB does.
    /// </summary>
    public static void InitializeNguyenWidrow(Dense layer, Random random, double inputMin = -1, double inputMax = 1)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(random);
        if (!(inputMin < inputMax)) throw new ArgumentException($"The input range [{inputMin}, {inputMax}] is empty.");
        int units = layer.Units, inputs = layer.InputUnits;
        var w = layer.Weight.Value.Span;
        var b = layer.Bias is null ? Span<float>.Empty : layer.Bias.Value.Span;
        var range = ActivationMath.ActiveInputRange(layer.Activation);
        if (range is null)
        {
            for (int i = 0; i < w.Length; i++) w[i] = (float)(2 * random.NextDouble() - 1);
            for (int i = 0; i < b.Length; i++) b[i] = (float)(2 * random.NextDouble() - 1);
            return;
        }
        var (activeMin, activeMax) = range.Value;
        double magnitude = 0.7 * Math.Pow(units, 1.0 / inputs);
        var wd = new double[units * inputs];
        var bd = new double[units];
        for (int j = 0; j < units; j++)
        {
            double norm = 0;
            for (int i = 0; i < inputs; i++)
            {
                double v = 2 * random.NextDouble() - 1;
                wd[j * inputs + i] = v;
                norm += v * v;
            }
            norm = Math.Sqrt(norm);
            if (norm == 0) { wd[j * inputs] = 1; norm = 1; }
            for (int i = 0; i < inputs; i++) wd[j * inputs + i] *= magnitude / norm;
            double spread = units == 1 ? 0 : magnitude * (-1 + 2.0 * j / (units - 1));
            bd[j] = spread * Math.Sign(wd[j * inputs]);
        }
        // From net inputs over [-1, 1] to the active range, then from inputs over [inputMin, inputMax] to [-1, 1].
        double half = 0.5 * (activeMax - activeMin), mid = 0.5 * (activeMax + activeMin);
        double xGain = 2 / (inputMax - inputMin), xOffset = 1 - inputMax * xGain;
        for (int j = 0; j < units; j++)
        {
            double bias = half * bd[j] + mid;
            for (int i = 0; i < inputs; i++)
            {
                double wji = half * wd[j * inputs + i];
                bias += wji * xOffset;
                w[j * inputs + i] = (float)(wji * xGain);
            }
            if (b.Length > 0) b[j] = (float)bias;
        }
    }

    /// <summary>
    /// Fits the input and target mappings on all of <paramref name="x"/>/<paramref name="y"/>, divides the rows
    /// (default: <see cref="DataDivision.Random"/> 0.70/0.15/0.15 seeded by <see cref="Seed"/>) and trains
    /// (default: <see cref="LevenbergMarquardt"/> with MATLAB's parameters).
    /// </summary>
    /// <param name="x">Inputs [N, InputCount].</param>
    /// <param name="y">Targets [N, OutputCount].</param>
    /// <param name="trainer">The algorithm; default Levenberg–Marquardt.</param>
    /// <param name="division">Which rows train, validate and test; use <see cref="DataDivision.TrainOnly"/> to train on all rows.</param>
    /// <param name="progress">Per-epoch progress.</param>
    /// <param name="cancellationToken">Cancels between epochs.</param>
    /// <returns>The training record. Performances are mean squared errors in the targets' own units (MATLAB computes
    /// them after reversing the target mapping); <see cref="FeedForwardTrainingResult.TestPerformance"/> is set when the
    /// division has test rows.</returns>
    public FeedForwardTrainingResult Train(Tensor x, Tensor y, FeedForwardTrainer? trainer = null, DataDivision? division = null,
        IProgress<FeedForwardTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (xs, ys, rows) = Prepare(x, y);
        division ??= DataDivision.Random(rows, seed: Seed);
        if (division.Count != rows) throw new ArgumentException($"The division is for {division.Count} rows but the data have {rows}.");
        var stack = StackWithScale();
        var train = Take(xs, ys, division.TrainIndices);
        var validation = division.ValidationIndices.Count > 0 ? Take(xs, ys, division.ValidationIndices) : null;
        var result = (trainer ?? new LevenbergMarquardt()).TrainRows(_layers, stack, train, validation, progress, cancellationToken);
        if (division.TestIndices.Count == 0) return result;
        var test = Take(xs, ys, division.TestIndices);
        var weights = new double[stack.ParameterCount];
        FeedForwardTrainer.ReadWeights(_layers, weights);
        var state = new DenseStack.State(stack, test.Rows);
        stack.Forward(weights, test.X, state);
        double tperf = stack.SumSquaredError(state, test.Y) / (test.Rows * stack.OutputCount);
        return new FeedForwardTrainingResult
        {
            StopReason = result.StopReason, StoppedByEpochLimitOnly = result.StoppedByEpochLimitOnly, Epochs = result.Epochs, BestEpoch = result.BestEpoch,
            Performance = result.Performance, ValidationPerformance = result.ValidationPerformance, TestPerformance = tperf,
            History = result.History, Elapsed = result.Elapsed,
        };
    }

    /// <summary>
    /// Trains on all rows of <paramref name="x"/>/<paramref name="y"/> and stops early on the explicit validation set
    /// (mapped with the scalers fitted on the training rows).
    /// </summary>
    public FeedForwardTrainingResult Train(Tensor x, Tensor y, Tensor validationX, Tensor validationY, FeedForwardTrainer? trainer = null,
        IProgress<FeedForwardTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (xs, ys, rows) = Prepare(x, y);
        var stack = StackWithScale();
        ArgumentNullException.ThrowIfNull(validationX);
        ArgumentNullException.ThrowIfNull(validationY);
        if (validationX.Rank != 2 || validationX.Dim(1) != InputCount)
        {
            throw new ArgumentException($"Validation inputs must be [N, {InputCount}] but are {validationX.ShapeString}.", nameof(validationX));
        }
        if (validationY.Rank != 2 || validationY.Dim(1) != OutputCount || validationY.Dim(0) != validationX.Dim(0))
        {
            throw new ArgumentException($"Validation targets must be [{validationX.Dim(0)}, {OutputCount}] but are {validationY.ShapeString}.", nameof(validationY));
        }
        int vRows = validationX.Dim(0);
        var vx = RowSet.Widen(validationX, "validation inputs");
        var vy = RowSet.Widen(validationY, "validation targets");
        InputScaler?.TransformInPlace(vx, vRows);
        OutputScaler?.TransformInPlace(vy, vRows);
        var validation = RowSet.FromRowMajor(vx, vy, vRows, InputCount, OutputCount, null);
        var train = RowSet.FromRowMajor(xs, ys, rows, InputCount, OutputCount, null);
        return (trainer ?? new LevenbergMarquardt()).TrainRows(_layers, stack, train, validation, progress, cancellationToken);
    }

    /// <summary>Outputs for the rows of <paramref name="x"/> [N, InputCount] as a new [N, OutputCount] tensor, in the targets' units.</summary>
    public Tensor Predict(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Dim(1) != InputCount)
        {
            throw new ArgumentException($"Inputs must be [N, {InputCount}] but are {x.ShapeString}.", nameof(x));
        }
        var h = InputScaler is null ? x : InputScaler.Transform(x);
        foreach (var layer in _layers) h = layer.Forward(h, training: false);
        return OutputScaler is null ? h.Clone() : OutputScaler.Inverse(h);
    }

    private (double[] X, double[] Y, int Rows) Prepare(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank != 2 || x.Dim(1) != InputCount) throw new ArgumentException($"Inputs must be [N, {InputCount}] but are {x.ShapeString}.", nameof(x));
        if (y.Rank != 2 || y.Dim(1) != OutputCount || y.Dim(0) != x.Dim(0))
        {
            throw new ArgumentException($"Targets must be [{x.Dim(0)}, {OutputCount}] but are {y.ShapeString}.", nameof(y));
        }
        int rows = x.Dim(0);
        var xs = RowSet.Widen(x, "inputs");
        var ys = RowSet.Widen(y, "targets");
        InputScaler = NormalizeInputs ? new MinMaxScaler().Fit(x) : null;
        OutputScaler = NormalizeTargets ? new MinMaxScaler().Fit(y) : null;
        InputScaler?.TransformInPlace(xs, rows);
        OutputScaler?.TransformInPlace(ys, rows);
        return (xs, ys, rows);
    }

    private DenseStack StackWithScale()
    {
        var stack = FeedForwardTrainer.StackOf(_layers);
        if (OutputScaler is not null)
        {
            var scale = new double[OutputCount];
            for (int k = 0; k < scale.Length; k++) scale[k] = OutputScaler.InverseGain(k);
            stack.OutputScale = scale;
        }
        return stack;
    }

    private RowSet Take(double[] xs, double[] ys, IReadOnlyList<int> indices) =>
        RowSet.FromRowMajor(xs, ys, xs.Length / InputCount, InputCount, OutputCount, indices);
}
