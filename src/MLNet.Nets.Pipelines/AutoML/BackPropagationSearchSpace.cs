using System.Globalization;
using MLNet.Nets.Data;
using MLNet.Nets.Layers;
using MLNet.Nets.Trainers;

namespace MLNet.Nets.AutoML;

/// <summary>
/// The search space of BP networks, as a point of [0, 1]^10: depth (1–2), width of each layer (2–64, log scale),
/// activation (tansig, ReLU, logsig), algorithm (Levenberg–Marquardt for nets up to <see cref="LevenbergMarquardtLimit"/>
/// weights, Adam, SGD with momentum), learning rate (1e-4–1e-1, log), batch size (16–128), maximum epochs (20, 50, 100, 200, 500 or 1,000; early stopping on
/// validation always on), L2 (0, or 1e-6–1e-2 log) and dropout after each hidden layer (Adam and SGD: 0, or 0.05–0.5).
/// </summary>
internal static class BackPropagationSearchSpace
{
    public const int Dimensions = 10;

    /// <summary>Choices per coordinate: depth, activation, algorithm, batch size and epoch limit are discrete.</summary>
    public static int[] Levels => [2, 0, 0, 3, 3, 0, 4, 6, 0, 0];

    private static readonly Activation[] Activations = [Activation.Tanh, Activation.ReLU, Activation.Sigmoid];
    private static readonly TrainingAlgorithm[] Algorithms = [TrainingAlgorithm.LevenbergMarquardt, TrainingAlgorithm.Adam, TrainingAlgorithm.Sgd];
    private static readonly int[] Batches = [16, 32, 64, 128];
    // Coarse levels: early stopping ends most runs long before the limit, so nearby limits are the same trial in effect.
    private static readonly int[] EpochLimits = [20, 50, 100, 200, 500, 1000];
    // The continuous scales, shared by Options and its inverse Point: width 2–64 (log), learning rate 1e-4–1e-1 (log), and
    // over the upper half of their coordinates L2 1e-6–1e-2 (log) and dropout 0.05–0.5.
    private const double MinWidth = 2, WidthRatio = 32, LearningRateLog10 = -4, LearningRateDecades = 3, L2Log10 = -6, L2Decades = 4;
    private const double MinDropout = 0.05, DropoutSpan = 0.45;

    /// <summary>One hidden layer of ~6 units, Levenberg–Marquardt, 20 epochs, no L2, no dropout: the cheapest sensible start.</summary>
    public static double[] CheapStart => [0.25, 0.3, 0.3, 0.1, 0.1, 0.66, 0.4, 0.0, 0.25, 0.25];

    /// <summary>
    /// The point of a configuration: the inverse of <see cref="Options"/> (for Levenberg–Marquardt, the learning rate, batch
    /// size and dropout it ignores are where a switch to Adam would use them: 3e-3, 32, none).
    /// </summary>
    /// <exception cref="ArgumentException">A depth, activation, algorithm, batch size or epoch limit the space does not offer.</exception>
    public static double[] Point(int[] hidden, Activation activation, TrainingAlgorithm algorithm, int maxEpochs, float l2 = 0,
        float learningRate = 3e-3f, int batchSize = 32, float dropout = 0)
    {
        static double Level<T>(T[] values, T value) => (Array.IndexOf(values, value) is int i and >= 0 ? i + 0.5 : throw new ArgumentException($"{value} is not a choice of the search space.")) / values.Length;
        static double Width(int units) => Math.Log(units / MinWidth) / Math.Log(WidthRatio);
        return
        [
            hidden.Length == 1 ? 0.25 : 0.75,
            Width(hidden[0]),
            hidden.Length > 1 ? Width(hidden[1]) : 0.5,
            Level(Activations, activation),
            Level(Algorithms, algorithm),
            (Math.Log10(learningRate) - LearningRateLog10) / LearningRateDecades,
            Level(Batches, batchSize),
            Level(EpochLimits, maxEpochs),
            l2 > 0 ? 0.5 + (Math.Log10(l2) - L2Log10) / L2Decades / 2 : 0.25,
            dropout > 0 ? 0.5 + (dropout - MinDropout) / DropoutSpan / 2 : 0.25,
        ];
    }

    /// <summary>
    /// What the cost-frugal tuner of a regression experiment tries first, instead of <see cref="CheapStart"/>; its local
    /// search then starts from the best of them. Learned by <c>build/portfolio/portfolio.sh</c> on four regression data
    /// sets that are not the AutoML benchmark's (scikit-learn's diabetes data, Friedman #1–#3): random search on each, then
    /// the three configurations that together come closest to every data set's best (greedily, as Auto-sklearn 2.0 builds
    /// its portfolio) — one small ReLU network that is good everywhere, then the two that best cover where it is not.
    /// Values are the script's, rounded to two digits. Used up to <see cref="PortfolioRowLimit"/> rows.
    /// </summary>
    public static IReadOnlyList<double[]> RegressionPortfolio { get; } =
    [
        Point([9], Activation.ReLU, TrainingAlgorithm.LevenbergMarquardt, 1000, l2: 5.7e-5f),
        Point([24, 8], Activation.Tanh, TrainingAlgorithm.Sgd, 500, l2: 2e-6f, learningRate: 0.076f, batchSize: 64),
        Point([8, 4], Activation.ReLU, TrainingAlgorithm.LevenbergMarquardt, 1000, l2: 0.0082f),
    ];

    /// <summary>
    /// The most rows a regression experiment starts with the portfolio for; above, it starts from <see cref="CheapStart"/>
    /// (the portfolio's networks may train for up to 1,000 epochs: too long a first trial on large data).
    /// </summary>
    public const long PortfolioRowLimit = 10_000;

    /// <summary>
    /// The most weights a Levenberg–Marquardt trial may have for <paramref name="rows"/> training rows: 2,000 up to 1,000
    /// rows, then less, so that its cost (rows × weights² per epoch, for the Jacobian products) stays that of 2,000
    /// weights on 1,000 rows — about a second per epoch here; larger networks are trained with Adam instead.
    /// </summary>
    public static int LevenbergMarquardtLimit(long rows) => (int)(2000 * Math.Sqrt(1000.0 / Math.Max(1000, rows)));

    private static T Pick<T>(T[] values, double x) => values[Math.Min(values.Length - 1, (int)(x * values.Length))];

    public static BackPropagationOptions Options(double[] x, int features, int outputs, long rows, string label, string featureColumn, int seed)
    {
        int depth = x[0] < 0.5 ? 1 : 2;
        int[] hidden = Enumerable.Range(0, depth).Select(i => (int)Math.Round(MinWidth * Math.Pow(WidthRatio, x[1 + i]))).ToArray();
        var algorithm = Pick(Algorithms, x[4]);
        long weights = 0;
        int inputs = features;
        foreach (int h in hidden.Append(outputs)) { weights += (inputs + 1L) * h; inputs = h; }
        if (algorithm == TrainingAlgorithm.LevenbergMarquardt && weights > LevenbergMarquardtLimit(rows)) algorithm = TrainingAlgorithm.Adam;
        return new BackPropagationOptions
        {
            LabelColumnName = label,
            FeatureColumnName = featureColumn,
            HiddenLayers = hidden,
            HiddenActivation = Pick(Activations, x[3]),
            Algorithm = algorithm,
            LearningRate = (float)Math.Pow(10, LearningRateLog10 + LearningRateDecades * x[5]),
            BatchSize = Pick(Batches, x[6]),
            MaxEpochs = Pick(EpochLimits, x[7]),
            L2 = x[8] < 0.5 ? 0f : (float)Math.Pow(10, L2Log10 + L2Decades * 2 * (x[8] - 0.5)),
            // Levenberg–Marquardt takes exact whole-batch steps: dropout is for the mini-batch algorithms only.
            Dropout = algorithm == TrainingAlgorithm.LevenbergMarquardt || x[9] < 0.5 ? 0f : (float)Math.Round(MinDropout + DropoutSpan * 2 * (x[9] - 0.5), 2),
            MaxValidationFailures = 6,
            ValidationFraction = 0.15,
            Seed = seed,
        };
    }

    public static string Describe(BackPropagationOptions o) => Text(o, string.Create(CultureInfo.InvariantCulture, $", ≤{o.MaxEpochs} epochs"));

    /// <summary>The configuration without its epoch limit, and the limit.</summary>
    public static (string Family, int EpochLimit) EpochLimit(BackPropagationOptions o) => (Text(o, ""), o.MaxEpochs);

    /// <summary>
    /// The smallest epoch limit that trains a fitted pipeline's network again: when its training ended on its own, the
    /// epoch whose weights were kept (validation restores the best epoch's whether training stops on its own or at the
    /// limit, and a limit at or above it runs the same epochs up to there); the largest over its BP trainers; null when
    /// the epoch limit alone stopped one of them (or there is none).
    /// </summary>
    public static int? SameNetworkFromLimit(ITransformer model)
    {
        int? latest = null;
        foreach (var summary in Summaries(model))
        {
            if (summary.StoppedByEpochLimitOnly) return null;
            latest = Math.Max(latest ?? 0, summary.BestEpoch);
        }
        return latest;

        static IEnumerable<BackPropagationTrainingSummary> Summaries(ITransformer t) => t switch
        {
            BackPropagationPredictionTransformer bp => [bp.Model.Summary],
            IEnumerable<ITransformer> chain => chain.SelectMany(Summaries),
            _ => [],
        };
    }

    private static string Text(BackPropagationOptions o, string epochs) => string.Create(CultureInfo.InvariantCulture,
        $"hidden [{string.Join(",", o.HiddenLayers)}] {o.HiddenActivation}, {Short(o.Algorithm)}{(o.Algorithm is TrainingAlgorithm.Adam or TrainingAlgorithm.Sgd ? $" lr {o.LearningRate:G2} batch {o.BatchSize}" : "")}{epochs}{(o.L2 > 0 ? $", L2 {o.L2:G2}" : "")}{(o.Dropout > 0 ? $", dropout {o.Dropout:0.##}" : "")}");

    public static Dictionary<string, object> Parameters(BackPropagationOptions o) => new()
    {
        ["hidden"] = string.Join(",", o.HiddenLayers),
        ["activation"] = o.HiddenActivation.ToString(),
        ["algorithm"] = Short(o.Algorithm),
        ["learningRate"] = o.LearningRate ?? 0f,
        ["batchSize"] = o.BatchSize,
        ["maxEpochs"] = o.MaxEpochs,
        ["l2"] = o.L2,
        ["dropout"] = o.Dropout,
    };

    private static string Short(TrainingAlgorithm? a) => a switch
    {
        TrainingAlgorithm.LevenbergMarquardt => "lm",
        TrainingAlgorithm.GradientDescentAdaptive => "gdx",
        TrainingAlgorithm.Adam => "adam",
        TrainingAlgorithm.Sgd => "sgd",
        _ => "default",
    };
}
