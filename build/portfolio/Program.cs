// Learns the BP regression portfolio (see portfolio.sh): random search on each meta-learning data set, then greedy
// selection of the configurations that together come closest to each data set's best (Auto-sklearn 2.0's portfolio
// construction, with each score normalized per data set: 0 at the median trial, 1 at the best, never below 0).
//
//   dotnet Portfolio.dll TRIALS SIZE SEED file...   (tab-separated, header, the label column named "Label")
using System.Globalization;
using MLNet.Nets;
using MLNet.Nets.AutoML;
using MLNet.Nets.Data;

int trials = int.Parse(args[0], CultureInfo.InvariantCulture);
int size = int.Parse(args[1], CultureInfo.InvariantCulture);
int seed = int.Parse(args[2], CultureInfo.InvariantCulture);
string[] files = args[3..];
var nets = new NetsContext(0);
// Per data set: each configuration's cross-validated R², and its parameters.
var scores = new List<Dictionary<string, double>>();
var parameters = new Dictionary<string, IReadOnlyDictionary<string, object>>();
var order = new List<string>();
foreach (var file in files)
{
    var data = nets.Data.LoadFromTextFile(file).Cache();
    var result = nets.Auto().CreateRegressionExperiment(new ExperimentSettings
    {
        MaxExperimentTimeInSeconds = 24 * 3600, MaxTrials = trials, Tuner = TunerKind.Random, Seed = seed, CrossValidationFolds = 5, EnsembleSize = 1,
    }).Execute(data, "Label");
    var byConfig = new Dictionary<string, double>();
    foreach (var t in result.Trials.Where(t => t.Succeeded))
    {
        byConfig[t.Settings] = t.Metric;
        parameters[t.Settings] = t.Parameters;
        if (!order.Contains(t.Settings)) order.Add(t.Settings);
    }
    scores.Add(byConfig);
    Console.WriteLine(FormattableString.Invariant($"{Path.GetFileNameWithoutExtension(file)}: {result.Trials.Count} trials, best R² {byConfig.Values.Max():F4}, median {Median(byConfig.Values):F4}"));
}
// Configurations trained on every data set (random search proposes the same points everywhere; an epoch limit answered
// from an earlier trial on one data set may be missing on another).
var common = order.Where(c => scores.All(s => s.ContainsKey(c))).ToList();
var normalized = scores.Select(s =>
{
    double median = Median(common.Select(c => s[c])), best = common.Max(c => s[c]);
    return common.ToDictionary(c => c, c => Math.Max(0, (s[c] - median) / (best - median)));
}).ToList();
var portfolio = new List<string>();
for (int k = 0; k < size && portfolio.Count < common.Count; k++)
{
    double Value(string candidate) => normalized.Average(n => portfolio.Append(candidate).Max(c => n[c]));
    var pick = common.Where(c => !portfolio.Contains(c)).MaxBy(Value)!;
    Console.WriteLine(FormattableString.Invariant($"pick {k + 1}: {pick} — portfolio value {Value(pick):F3}; R² {string.Join(", ", scores.Select(s => s[pick].ToString("F4", CultureInfo.InvariantCulture)))}"));
    portfolio.Add(pick);
}
Console.WriteLine("As C# (BackPropagationSearchSpace.RegressionPortfolio):");
foreach (var c in portfolio) Console.WriteLine($"    {CSharp(parameters[c])},");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string CSharp(IReadOnlyDictionary<string, object> p)
{
    string algorithm = (string)p["algorithm"];
    var text = FormattableString.Invariant($"Point([{string.Join(", ", ((string)p["hidden"]).Split(','))}], Activation.{p["activation"]}, TrainingAlgorithm.{algorithm switch { "lm" => "LevenbergMarquardt", "adam" => "Adam", _ => "Sgd" }}, {p["maxEpochs"]}");
    if ((float)p["l2"] > 0) text += FormattableString.Invariant($", l2: {(float)p["l2"]:G2}f");
    if (algorithm != "lm") text += FormattableString.Invariant($", learningRate: {(float)p["learningRate"]:G2}f, batchSize: {p["batchSize"]}");
    if ((float)p["dropout"] > 0) text += FormattableString.Invariant($", dropout: {(float)p["dropout"]:0.##}f");
    return text + ")";
}
