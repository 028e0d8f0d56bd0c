using System.CommandLine;
using System.Text.Json.Serialization;
using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using Spectre.Console;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets automl regression|classification</c>: search BP networks within a time budget.</summary>
internal static class AutoMlCommand
{
    public static Command Create(Func<CancellationToken> token) =>
        new("automl", "Search network architectures and hyper-parameters within a time budget and save the best model.")
        {
            Tabular("regression", classification: false, token),
            Tabular("classification", classification: true, token),
        };

    private static Command Tabular(string name, bool classification, Func<CancellationToken> token)
    {
        var data = CommonOptions.Data();
        var label = new Option<string>("--label") { Description = "The label column (by header name).", Required = true };
        var separator = CommonOptions.Separator();
        var time = new Option<double>("--time") { Description = "Time budget in seconds.", DefaultValueFactory = _ => 60 };
        var metric = new Option<string?>("--metric") { Description = classification ? "MicroAccuracy (default), MacroAccuracy, LogLoss, LogLossReduction." : "RSquared (default), RootMeanSquaredError, MeanAbsoluteError, MeanSquaredError." };
        var tuner = new Option<string>("--tuner") { Description = "cost-frugal (default) or random.", DefaultValueFactory = _ => "cost-frugal" };
        tuner.AcceptOnlyFromAmong("cost-frugal", "random");
        var output = new Option<string?>("--output") { Description = "Experiment folder for trials.csv and progress.svg (default: beside the model)." };
        var seed = CommonOptions.Seed();
        var model = CommonOptions.Model(output: true);
        var json = CommonOptions.Json();
        var command = new Command(name, $"AutoML {name} over BP networks (label: {(classification ? "any column" : "a numeric column")}; features: every other column).")
        {
            data, label, separator, time, metric, tuner, output, seed, model, json,
        };
        command.SetAction(r => Run(r.GetValue(data)!, r.GetValue(label)!, CommonOptions.ParseSeparator(r.GetValue(separator)), r.GetValue(time), r.GetValue(metric),
            r.GetValue(tuner) == "random" ? TunerKind.Random : TunerKind.CostFrugal, r.GetValue(output), r.GetValue(seed), r.GetValue(model)!, r.GetValue(json), classification, token()));
        return command;
    }

    private static int Run(string dataPath, string label, char? separator, double seconds, string? metric, TunerKind tuner, string? output, int seed,
        string modelPath, bool json, bool classification, CancellationToken cancellationToken)
    {
        if (!(seconds > 0)) throw new ArgumentException($"--time must be positive, not {seconds}.");
        var nets = new NetsContext(seed);
        var (loader, _) = TabularData.ForTraining(dataPath, label, separator, labelIsText: classification);
        var data = TabularData.Validate(loader);
        string folder = output ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", Path.GetFileNameWithoutExtension(modelPath) + "-automl");
        var settings = new ExperimentSettings
        {
            MaxExperimentTimeInSeconds = seconds, OptimizingMetric = metric, Tuner = tuner, Seed = seed, CancellationToken = cancellationToken,
            ExperimentFolder = folder,
            OnTrialCompleted = t => Ui.Error.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"  trial {t.Index,3}  {(t.Succeeded ? t.Metric.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "failed"),8}  {t.Duration.TotalSeconds,6:F2} s  {t.Settings}{(t.Error is null ? "" : "  — " + t.Error)}"))),
        };
        var experiment = classification ? nets.Auto().CreateMulticlassClassificationExperiment(settings) : nets.Auto().CreateRegressionExperiment(settings);
        Ui.Error.MarkupLine(Markup.Escape($"AutoML: optimizing {experiment.MetricName} for {seconds:F0} s on {data.RowCount} rows of {dataPath}"));
        var result = experiment.Execute(data, label, TabularData.FeaturesColumn);
        if (result.BestRun is null || result.BestModel is null)
        {
            throw new InvalidOperationException($"No trial succeeded in {result.Trials.Count} trials; see {Path.Combine(folder, "trials.csv")}.");
        }
        nets.Model.Save(result.BestModel, loader.Schema, modelPath);
        if (json)
        {
            Ui.WriteJson(new Summary(result.OptimizingMetric, result.BestRun.Metric, result.BestRun.Settings, result.Trials.Count,
                result.Trials.Count(t => !t.Succeeded), result.WasCancelled, modelPath, folder));
            return 0;
        }
        Ui.Out.MarkupLine(Markup.Escape($"Best of {result.Trials.Count} trials: {result.OptimizingMetric} {result.BestRun.Metric:F4} — {result.BestRun.Settings}"));
        Ui.Out.MarkupLine(Markup.Escape($"Model written to {modelPath}; trials table and plot in {folder}."));
        return 0;
    }

    private sealed record Summary(
        [property: JsonPropertyName("metric")] string Metric,
        [property: JsonPropertyName("best")] double Best,
        [property: JsonPropertyName("settings")] string Settings,
        [property: JsonPropertyName("trials")] int Trials,
        [property: JsonPropertyName("failedTrials")] int FailedTrials,
        [property: JsonPropertyName("cancelled")] bool Cancelled,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("folder")] string Folder);
}
