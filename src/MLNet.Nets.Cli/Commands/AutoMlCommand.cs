using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using MLNet.Nets.AutoML;
using MLNet.Nets.Data;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;
using Spectre.Console;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets automl regression|classification|image</c>: search networks within a time budget.</summary>
internal static class AutoMlCommand
{
    public static Command Create(Func<CancellationToken> token) =>
        new("automl", "Search network architectures and hyper-parameters within a time budget and save the best model.")
        {
            Tabular("regression", classification: false, token),
            Tabular("classification", classification: true, token),
            Image(token),
        };

    private static Command Tabular(string name, bool classification, Func<CancellationToken> token)
    {
        var data = CommonOptions.Data();
        var label = new Option<string>("--label") { Description = "The label column (by header name).", Required = true };
        var separator = CommonOptions.Separator();
        var ensemble = new Option<int?>("--ensemble") { Description = "Networks of the best configuration the final refit trains and averages into the model (default 5; 1 for one network)." };
        var shared = new ExperimentOptions(classification ? "MicroAccuracy (default), MacroAccuracy, LogLoss, LogLossReduction." : "RSquared (default), RootMeanSquaredError, MeanAbsoluteError, MeanSquaredError.");
        var command = new Command(name, $"AutoML {name} over BP networks (label: {(classification ? "any column" : "a numeric column")}; features: every other column).")
        {
            data, label, separator, ensemble,
        };
        shared.AddTo(command);
        command.SetAction(r => RunTabular(r, shared, r.GetValue(data)!, r.GetValue(label)!, CommonOptions.ParseSeparator(r.GetValue(separator)), r.GetValue(ensemble),
            classification, token()));
        return command;
    }

    private static int RunTabular(ParseResult r, ExperimentOptions shared, string dataPath, string label, char? separator, int? ensemble, bool classification,
        CancellationToken cancellationToken)
    {
        var settings = shared.Settings(r, new ExperimentSettings { EnsembleSize = ensemble }, cancellationToken);
        var nets = new NetsContext(settings.Seed);
        var (loader, _) = TabularData.ForTraining(dataPath, label, separator, labelIsText: classification);
        var data = TabularData.Validate(loader);
        var experiment = classification ? nets.Auto().CreateMulticlassClassificationExperiment(settings) : nets.Auto().CreateRegressionExperiment(settings);
        Ui.Error.MarkupLine(Markup.Escape($"AutoML: optimizing {experiment.MetricName} for {settings.MaxExperimentTimeInSeconds:F0} s on {data.RowCount} rows of {dataPath}"));
        var result = ExperimentOptions.Run(settings, experiment.HigherIsBetter, () => experiment.Execute(data, label, TabularData.FeaturesColumn));
        return Finish(r, shared, nets, result, loader.Schema);
    }

    private static Command Image(Func<CancellationToken> token)
    {
        var data = new Option<string?>("--data") { Description = "An image folder with one sub-folder per class (the folder name is the label)." };
        var mnist = new Option<string?>("--mnist") { Description = "An MNIST folder (IDX files, .gz or not); its training set is searched on." };
        var limit = new Option<int?>("--limit") { Description = "Use a seeded, class-stratified sample of about N images." };
        var arch = new Option<string?>("--arch") { Description = "Architectures to search, comma-separated (see nets zoo list); default lenet5, mobilenet_v1, mobilenet_v3_small, mobilenet_v2, mobilenet_v3_large, small_vgg." };
        var weights = new Option<string[]>("--weights") { Description = "Pretrained weights as ARCH=FILE (repeatable), e.g. mobilenet_v2=mobilenet_v2-b0353104.pth; that architecture is then fine-tuned.", AllowMultipleArgumentsPerToken = true };
        var shared = new ExperimentOptions("MicroAccuracy (default), MacroAccuracy, LogLoss, LogLossReduction.");
        var command = new Command("image", "AutoML image classification over zoo networks (from scratch, or fine-tuned from --weights) on MNIST or a class-folder image set.")
        {
            data, mnist, limit, arch, weights,
        };
        shared.AddTo(command);
        command.SetAction(r => RunImage(r, shared, r.GetValue(data), r.GetValue(mnist), r.GetValue(limit), r.GetValue(arch), r.GetValue(weights) ?? [], token()));
        return command;
    }

    private static int RunImage(ParseResult r, ExperimentOptions shared, string? folder, string? mnist, int? limit, string? arch, string[] weights, CancellationToken cancellationToken)
    {
        if ((mnist is null) == (folder is null)) throw new ArgumentException("Give exactly one of --mnist DIR (IDX files) or --data DIR (one sub-folder per class).");
        if (limit is < 2) throw new ArgumentException($"--limit must be at least 2, not {limit}.");
        var settings = shared.Settings(r, new ImageClassificationExperimentSettings(), cancellationToken);
        if (arch is not null) settings.Architectures = arch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ModelZoo.Parse).ToArray();
        foreach (var entry in weights)
        {
            int at = entry.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || at == entry.Length - 1) throw new ArgumentException($"--weights must be ARCH=FILE such as mobilenet_v2=mobilenet_v2-b0353104.pth, not '{entry}'.");
            settings.PretrainedWeights[ModelZoo.Parse(entry[..at])] = PretrainedWeights.FromFile(entry[(at + 1)..]);
        }
        var nets = new NetsContext(settings.Seed);
        var (images, column, source) = mnist is not null
            ? (ImageTask.Mnist(nets, mnist, "train"), "Features", mnist)
            : (nets.Data.LoadImagesFromDirectory(folder!), "ImagePath", folder!);
        long rows = images.CountRows(cancellationToken);
        if (limit is int n && n < rows) images = nets.Data.TrainTestSplit(images, (double)n / rows, "Label", settings.Seed).TestSet;
        var experiment = nets.Auto().CreateImageClassificationExperiment(settings);
        Ui.Error.MarkupLine(Markup.Escape($"AutoML: optimizing {experiment.MetricName} for {settings.MaxExperimentTimeInSeconds:F0} s on {images.CountRows(cancellationToken)} images of {source} " +
            $"({string.Join(", ", experiment.Architectures.Select(ModelZoo.NameOf))})"));
        var result = ExperimentOptions.Run(settings, experiment.HigherIsBetter, () => experiment.Execute(images, "Label", column));
        return Finish(r, shared, nets, result, images.Schema);
    }

    /// <summary>Saves the best model and prints the result (or one JSON object).</summary>
    private static int Finish(ParseResult r, ExperimentOptions shared, NetsContext nets, ExperimentResult result, DataViewSchema inputSchema)
    {
        string modelPath = r.GetValue(shared.Model)!, folder = shared.FolderOf(r);
        if (result.BestRun is null || result.BestModel is null)
        {
            throw new InvalidOperationException($"No trial succeeded in {result.Trials.Count} trials; see {Path.Combine(folder, "trials.csv")}.");
        }
        nets.Model.Save(result.BestModel, inputSchema, modelPath);
        if (r.GetValue(shared.Json))
        {
            Ui.WriteJson(new Summary(result.OptimizingMetric, result.BestRun.Metric, result.BestRun.Settings, result.Trials.Count,
                result.Trials.Count(t => !t.Succeeded), result.WasCancelled, modelPath, folder));
            return 0;
        }
        Ui.Out.MarkupLine(Markup.Escape($"Best of {result.Trials.Count} trials: {result.OptimizingMetric} {result.BestRun.Metric:F4} — {result.BestRun.Settings}"));
        Ui.Out.MarkupLine(Markup.Escape($"Model written to {modelPath}; trials table and plot in {folder}."));
        return 0;
    }

    /// <summary>The options every automl subcommand has, and the settings and per-trial progress lines they make.</summary>
    private sealed class ExperimentOptions(string metrics)
    {
        public Option<double> Time { get; } = new("--time") { Description = "Time budget in seconds.", DefaultValueFactory = _ => 60 };
        public Option<string?> Metric { get; } = new("--metric") { Description = metrics };
        public Option<int?> MaxTrials { get; } = new("--max-trials") { Description = "Most trials (default: as many as the time budget allows)." };
        public Option<string> Tuner { get; } = CreateTuner();
        public Option<string?> Folder { get; } = new("--output", "--folder") { Description = "Experiment folder for trials.csv and progress.svg (default: beside the model)." };
        public Option<int> Seed { get; } = CommonOptions.Seed();
        public Option<string> Model { get; } = CommonOptions.Model(output: true);
        public Option<bool> Json { get; } = CommonOptions.Json();

        private static Option<string> CreateTuner()
        {
            var tuner = new Option<string>("--tuner") { Description = "cost-frugal (default) or random.", DefaultValueFactory = _ => "cost-frugal" };
            tuner.AcceptOnlyFromAmong("cost-frugal", "random");
            return tuner;
        }

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Time, Metric, MaxTrials, Tuner, Folder, Seed, Model, Json }) command.Options.Add(option);
        }

        public string FolderOf(ParseResult r)
        {
            string model = r.GetValue(Model)!;
            return r.GetValue(Folder) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model)) ?? ".", Path.GetFileNameWithoutExtension(model) + "-automl");
        }

        /// <summary>Fills <paramref name="settings"/> from the command line; each finished trial prints one line on stderr.</summary>
        public T Settings<T>(ParseResult r, T settings, CancellationToken cancellationToken) where T : ExperimentSettings
        {
            double seconds = r.GetValue(Time);
            if (!(seconds > 0)) throw new ArgumentException($"--time must be positive, not {seconds}.");
            int? maxTrials = r.GetValue(MaxTrials);
            if (maxTrials is < 1) throw new ArgumentException($"--max-trials must be at least 1, not {maxTrials}.");
            settings.MaxExperimentTimeInSeconds = seconds;
            settings.MaxTrials = maxTrials ?? int.MaxValue;
            settings.OptimizingMetric = r.GetValue(Metric);
            settings.Tuner = r.GetValue(Tuner) == "random" ? TunerKind.Random : TunerKind.CostFrugal;
            settings.Seed = r.GetValue(Seed);
            settings.CancellationToken = cancellationToken;
            settings.ExperimentFolder = FolderOf(r);
            settings.OnTrialCompleted = t => Ui.Error.MarkupLine(Markup.Escape(TrialLine(t)));
            return settings;
        }

        /// <summary>
        /// Runs the experiment; on a terminal with a live table of the latest trials (best marked) on stderr, otherwise
        /// (redirected, CI) with one line per trial as it finishes.
        /// </summary>
        public static ExperimentResult Run(ExperimentSettings settings, bool higherIsBetter, Func<ExperimentResult> execute)
        {
            if (!Ui.Error.Profile.Capabilities.Interactive) return execute();
            const int shown = 15;
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("trial").AddColumn(new TableColumn("metric").RightAligned()).AddColumn(new TableColumn("best").RightAligned())
                .AddColumn(new TableColumn("seconds").RightAligned()).AddColumn("settings");
            ExperimentResult result = null!;
            double best = double.NaN;
            int failed = 0;
            Ui.Error.Live(table).AutoClear(false).Start(ctx =>
            {
                settings.OnTrialCompleted = t =>
                {
                    bool improved = t.Succeeded && (double.IsNaN(best) || (higherIsBetter ? t.Metric > best : t.Metric < best));
                    if (improved) best = t.Metric;
                    if (!t.Succeeded) failed++;
                    string metric = t.Succeeded ? Ui.F(t.Metric) : "[red]failed[/]";
                    table.AddRow(t.Index.ToString(CultureInfo.InvariantCulture), improved ? $"[green]{metric}[/]" : metric,
                        double.IsNaN(best) ? "" : Ui.F(best), Ui.F(t.Duration.TotalSeconds, "F2"),
                        Markup.Escape(t.Settings + (t.Error is null ? "" : "  — " + t.Error)));
                    while (table.Rows.Count > shown) table.Rows.RemoveAt(0);
                    table.Caption($"{t.Index + 1} trials, {failed} failed, {t.ElapsedAtEnd.TotalSeconds:F0} s of {settings.MaxExperimentTimeInSeconds:F0} s");
                    ctx.Refresh();
                };
                result = execute();
            });
            return result;
        }

        private static string TrialLine(TrialResult t) => FormattableString.Invariant(
            $"  trial {t.Index,3}  {(t.Succeeded ? t.Metric.ToString("F4", CultureInfo.InvariantCulture) : "failed"),8}  {t.Duration.TotalSeconds,6:F2} s  {t.Settings}{(t.Error is null ? "" : "  — " + t.Error)}");
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
