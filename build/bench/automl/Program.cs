// Tuner benchmark: cost-frugal search vs random search on Boston housing (regression, R² on 5-fold CV), several seeds.
// For each seed: the random baseline's best R² after N trials, and the number of trials the cost-frugal tuner needs to
// reach it; over the seeds: where the cost-frugal tuner's mean best-so-far curve reaches random search's mean best.
// Also the 60-second experiment vs the hand-tuned 13-10-1 LM network on a holdout.
//
// With --refit-study instead: how one refit depends on its seed and what five-network ensembles do (RefitStudy.cs).
//
//   bash build/bench/automl.sh [--trials N] [--seeds S] [--first-seed F] [--seconds T] [--refit-study]
using System.Globalization;
using MLNet.Nets;
using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using MLNet.Nets.Trainers;

string housing = args[0];
int trials = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
int seeds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
double seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 60;
int firstSeed = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var nets = new NetsContext(0);
var data = nets.Data.LoadFromTextFile(housing).Cache();
if (args.Length > 5 && args[5] == "refit")
{
    RefitStudy.Run(nets, data);
    return;
}

// Best R² so far after each trial.
double[] BestSoFar(TunerKind tuner, int seed, int count)
{
    var experiment = nets.Auto().CreateRegressionExperiment(new ExperimentSettings
    {
        MaxExperimentTimeInSeconds = 3600, MaxTrials = count, Tuner = tuner, Seed = seed, CrossValidationFolds = 5,
    });
    var result = experiment.Execute(data, "MedianHomeValue");
    double best = double.NegativeInfinity;
    return result.Trials.Select(t => best = t.Succeeded ? Math.Max(best, t.Metric) : best).ToArray();
}

// Two readings of "reaches random search's best in at most half the trials, averaged over the seeds":
// per seed, the trials the cost-frugal tuner needs to reach that seed's random best (a seed where it never does within
// twice the trials counts as 2x, a lower bound marked "≥"), averaged; and on the best-so-far curves averaged over the
// seeds, the first trial where the cost-frugal tuner's mean reaches random search's mean after all its trials. The
// cost-frugal tuner gets twice the trials so that a seed where it is slower is measured, not cut off; its proposals do
// not depend on the trial limit, so its first N trials are those of an N-trial experiment.
var fractions = new List<double>();
var randomCurves = new List<double[]>();
var frugalCurves = new List<double[]>();
Console.WriteLine($"seed  random best R² ({trials} trials, found at)  cost-frugal best R² after {trials / 2} / {2 * trials}  trials cost-frugal needs to reach random's best");
for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
{
    var random = BestSoFar(TunerKind.Random, seed, trials);
    var frugal = BestSoFar(TunerKind.CostFrugal, seed, 2 * trials);
    randomCurves.Add(random);
    frugalCurves.Add(frugal);
    double target = random[^1];
    int foundAt = Array.FindIndex(random, v => v >= target) + 1;
    int needed = Array.FindIndex(frugal, v => v >= target) + 1;
    double fraction = needed == 0 ? 2.0 : needed / (double)trials;
    fractions.Add(fraction);
    Console.WriteLine(FormattableString.Invariant($"{seed,4}  {target,23:F4} ({foundAt,2})  {frugal[trials / 2 - 1],15:F4} / {frugal[^1]:F4}  {(needed == 0 ? $"not in {2 * trials}" : needed.ToString(CultureInfo.InvariantCulture)),10} ({(needed == 0 ? "≥" : "")}{fraction:P0})"));
}
if (fractions.Count > 0)
{
    double randomMean = randomCurves.Average(c => c[^1]);
    var frugalMean = Enumerable.Range(0, 2 * trials).Select(k => frugalCurves.Average(c => c[Math.Min(k, c.Length - 1)])).ToArray();
    int crossing = Array.FindIndex(frugalMean, v => v >= randomMean) + 1;
    Console.WriteLine(FormattableString.Invariant(
        $"averaged over the seeds: random search's best R² after {trials} trials {randomMean:F4}; the cost-frugal tuner's after {trials / 2} {frugalMean[trials / 2 - 1]:F4}, after {trials} {frugalMean[trials - 1]:F4}"));
    Console.WriteLine(crossing == 0
        ? FormattableString.Invariant($"the cost-frugal tuner's mean best does not reach random search's mean best within {2 * trials} trials (goal: within {trials / 2})")
        : FormattableString.Invariant($"the cost-frugal tuner's mean best reaches random search's mean best at trial {crossing} ({crossing / (double)trials:P0} of {trials}; goal ≤ 50 %)"));
    Console.WriteLine(FormattableString.Invariant($"per seed: mean share of the random search's {trials} trials the cost-frugal tuner needs: {fractions.Average():P0}, median {Median(fractions):P0} (goal ≤ 50 %)"));
}

// The 60-second experiment against the hand-tuned MATLAB-style network on the same 80/20 split.
if (seconds <= 0) return;
var split = nets.Data.TrainTestSplit(data, 0.2, seed: 42);
var features = data.Schema.Where(c => c.Name != "MedianHomeValue").Select(c => c.Name).ToArray();
var handRmse = Enumerable.Range(0, 5).Select(seed =>
{
    var model = nets.Transforms.Concatenate("Features", features)
        .Append(nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "MedianHomeValue", HiddenLayers = [10], Seed = seed }))
        .Fit(split.TrainSet);
    return nets.Regression.Evaluate(model.Transform(split.TestSet), "MedianHomeValue").RootMeanSquaredError;
}).Order().ToArray();
Console.WriteLine(FormattableString.Invariant($"hand-tuned 13-10-1 LM, 5 seeds: test RMSE median {handRmse[2]:F3} (range {handRmse[0]:F3}–{handRmse[^1]:F3})"));
// As many experiments as hand-tuned networks (seeds 0–4, or from --first-seed on): one test RMSE of either is a single
// draw of an init and a split.
var autoRmse = new List<double>();
for (int seed = firstSeed; seed < firstSeed + 5; seed++)
{
    var auto = nets.Auto().CreateRegressionExperiment(new ExperimentSettings { MaxExperimentTimeInSeconds = seconds, Seed = seed }).Execute(split.TrainSet, "MedianHomeValue");
    autoRmse.Add(nets.Regression.Evaluate(auto.BestModel!.Transform(split.TestSet), "MedianHomeValue").RootMeanSquaredError);
    Console.WriteLine(FormattableString.Invariant($"{seconds:F0}-second AutoML experiment, seed {seed}: {auto.Trials.Count} trials, best '{auto.BestRun!.Settings}', test RMSE {autoRmse[^1]:F3}"));
}
Console.WriteLine(FormattableString.Invariant($"{seconds:F0}-second AutoML experiments, 5 seeds: test RMSE median {Median(autoRmse):F3} (range {autoRmse.Min():F3}–{autoRmse.Max():F3}); goal: no worse than the hand-tuned network"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    int half = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}
