using System.Globalization;
using MLNet.Nets;
using MLNet.Nets.Data;
using MLNet.Nets.Layers;
using MLNet.Nets.Trainers;

/// <summary>
/// How much one refit of a configuration depends on its seed, and what averaging five networks
/// (<see cref="BackPropagationOptions.EnsembleSize"/>) does: the hand-tuned 13-10-1 LM network and the best configurations
/// that 60-second experiments found (docs/benchmarks.md), each fitted with seeds 0–14 on the 60-second benchmark's
/// training rows and scored on its test rows, then as five-network ensembles with seeds 0, 1 and 2.
/// </summary>
internal static class RefitStudy
{
    private static BackPropagationOptions Lm(int[] hidden, Activation activation, int epochs, float l2 = 0) => new()
    {
        HiddenLayers = hidden, HiddenActivation = activation, Algorithm = TrainingAlgorithm.LevenbergMarquardt, MaxEpochs = epochs, L2 = l2,
    };

    private static readonly (string Name, Func<BackPropagationOptions> Options)[] Configurations =
    [
        ("hand-tuned 13-10-1 LM (tansig, ≤1000 epochs)", () => new BackPropagationOptions { HiddenLayers = [10] }),
        ("hidden [8] Sigmoid, lm, ≤500 epochs, L2 8.6E-05", () => Lm([8], Activation.Sigmoid, 500, 8.6e-5f)),
        ("hidden [4] Sigmoid, lm, ≤1000 epochs", () => Lm([4], Activation.Sigmoid, 1000)),
        ("hidden [15,5] Sigmoid, lm, ≤100 epochs", () => Lm([15, 5], Activation.Sigmoid, 100)),
        ("hidden [50,2] Tanh, lm, ≤1000 epochs", () => Lm([50, 2], Activation.Tanh, 1000)),
        ("hidden [44,3] ReLU, lm, ≤1000 epochs", () => Lm([44, 3], Activation.ReLU, 1000)),
        ("hidden [27] ReLU, lm, ≤200 epochs, L2 0.0016", () => Lm([27], Activation.ReLU, 200, 0.0016f)),
        ("hidden [40,64] ReLU, sgd lr 0.032 batch 16, ≤50 epochs", () => new BackPropagationOptions
        {
            HiddenLayers = [40, 64], HiddenActivation = Activation.ReLU, Algorithm = TrainingAlgorithm.Sgd, LearningRate = 0.032f, BatchSize = 16, MaxEpochs = 50,
        }),
    ];

    public static void Run(NetsContext nets, IDataView data)
    {
        var split = nets.Data.TrainTestSplit(data, 0.2, seed: 42);
        var features = data.Schema.Where(c => c.Name != "MedianHomeValue").Select(c => c.Name).ToArray();
        double TestRmse(BackPropagationOptions o)
        {
            o.LabelColumnName = "MedianHomeValue";
            // The experiments' trials hold out 15 % for early stopping with 6 validation failures, as the defaults do.
            var model = nets.Transforms.Concatenate("Features", features).Append(nets.Regression.Trainers.BackPropagation(o)).Fit(split.TrainSet);
            return nets.Regression.Evaluate(model.Transform(split.TestSet), "MedianHomeValue").RootMeanSquaredError;
        }
        Console.WriteLine("configuration | one network, seeds 0–14: median (range) | five-network ensembles, seeds 0, 1, 2");
        foreach (var (name, options) in Configurations)
        {
            var single = Enumerable.Range(0, 15).Select(seed => { var o = options(); o.Seed = seed; return TestRmse(o); }).Order().ToArray();
            var ensembles = Enumerable.Range(0, 3).Select(seed => { var o = options(); o.Seed = seed; o.EnsembleSize = 5; return TestRmse(o); }).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} | {single[7]:F3} ({single[0]:F3}–{single[^1]:F3}) | {string.Join(", ", ensembles.Select(e => e.ToString("F3", CultureInfo.InvariantCulture)))}"));
        }
    }
}
