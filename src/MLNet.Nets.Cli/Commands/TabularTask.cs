using System.Diagnostics;
using System.Text.Json.Serialization;
using MLNet.Nets.Data;
using MLNet.Nets.Evaluation;
using MLNet.Nets.Trainers;
using Spectre.Console;

namespace MLNet.Nets.Cli.Commands;

/// <summary>Training, evaluating and predicting with BP networks on CSV files: the work behind train/evaluate/predict.</summary>
internal static class TabularTask
{
    public sealed record TrainSettings(string Data, string Label, char? Separator, int[] Hidden, TrainingAlgorithm? Algorithm, int Epochs,
        double TestFraction, int Seed, string ModelPath, bool Json, string? PredictionsPath);

    public static int Train(TrainSettings s, bool classification, CancellationToken cancellationToken)
    {
        if (!(s.TestFraction > 0 && s.TestFraction < 1)) throw new ArgumentException($"--test-fraction must be between 0 and 1 (exclusive), not {s.TestFraction}.");
        if (s.Epochs < 1) throw new ArgumentException($"--epochs must be ≥ 1, not {s.Epochs}.");
        var nets = new NetsContext(s.Seed);
        var (loader, featureNames) = TabularData.ForTraining(s.Data, s.Label, s.Separator, labelIsText: classification);
        var all = TabularData.Validate(loader);
        if (all.RowCount < 2) throw new InvalidDataException($"{s.Data}: there are {all.RowCount} data rows; at least 2 are needed to train and test.");
        var split = nets.Data.TrainTestSplit(all, s.TestFraction, seed: s.Seed);
        var options = new BackPropagationOptions
        {
            LabelColumnName = s.Label, FeatureColumnName = TabularData.FeaturesColumn, HiddenLayers = s.Hidden, Algorithm = s.Algorithm,
            MaxEpochs = s.Epochs, Seed = s.Seed, CancellationToken = cancellationToken,
        };
        var clock = Stopwatch.StartNew();
        ITransformer model = Ui.WithProgress($"Training {(classification ? "classifier" : "regressor")}", report =>
        {
            options.Progress = new Reporter(p => report((double)p.Epoch / p.MaxEpochs, $"epoch {p.Epoch} loss {Ui.F(p.Loss, "G4")}"));
            if (!classification) return (ITransformer)nets.Regression.Trainers.BackPropagation(options).Fit(split.TrainSet);
            var pipeline = nets.Transforms.Conversion.MapValueToKey(s.Label, keyOrdinality: Transforms.KeyOrdinality.ByValue)
                .Append(nets.MulticlassClassification.Trainers.BackPropagation(options))
                .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            return pipeline.Fit(split.TrainSet);
        });
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var scoredTest = model.Transform(split.TestSet);
        var result = classification
            ? ClassificationResult(nets.MulticlassClassification.Evaluate(scoredTest, labelColumnName: s.Label), trainSeconds)
            : RegressionResult(nets.Regression.Evaluate(scoredTest, labelColumnName: s.Label), trainSeconds);
        nets.Model.Save(model, loader.Schema, s.ModelPath);
        if (s.PredictionsPath is not null) Predictions.Write(s.PredictionsPath, model.Transform(all), OutputColumns(classification));
        if (s.Json)
        {
            Ui.WriteJson(result.Json);
            return 0;
        }
        Ui.Out.MarkupLine($"Trained on [bold]{split.TrainSet.GetRowCount()}[/] rows of {Markup.Escape(s.Data)} ({featureNames.Length} features: {Markup.Escape(string.Join(", ", featureNames))}) in {Ui.F(trainSeconds, "F2")} s.");
        PrintResult(result, split.TestSet.GetRowCount() ?? 0);
        Ui.Out.MarkupLine($"Model written to [bold]{Markup.Escape(s.ModelPath)}[/].");
        return 0;
    }

    public static int Evaluate(string modelPath, string data, char? separator, bool json)
    {
        var nets = new NetsContext(0);
        if (OpenImageModel(nets, modelPath) is { } imageModel)
        {
            var imageResult = ImageTask.Evaluate(nets, imageModel, data);
            if (json) Ui.WriteJson(imageResult.Json);
            else imageResult.Print(ImageTask.Load(nets, data).CountRows());
            return 0;
        }
        var (model, bp, features) = Open(nets, modelPath);
        bool classification = bp.Model.Kind != PredictionKind.Regression;
        var loader = TabularData.ForModel(data, features, bp.LabelColumnName, classification, separator, labelRequired: true);
        var scored = model.Transform(TabularData.Validate(loader));
        var result = classification
            ? ClassificationResult(nets.MulticlassClassification.Evaluate(scored, labelColumnName: bp.LabelColumnName), null)
            : RegressionResult(nets.Regression.Evaluate(scored, labelColumnName: bp.LabelColumnName), null);
        if (json) Ui.WriteJson(result.Json);
        else PrintResult(result, loader.GetRowCount() ?? 0);
        return 0;
    }

    public static int Predict(string modelPath, string data, string output, char? separator)
    {
        var nets = new NetsContext(0);
        if (OpenImageModel(nets, modelPath) is { } imageModel)
        {
            var images = ImageTask.Load(nets, data);
            var columns = images.Schema.GetColumnOrNull("ImagePath") is null ? new[] { "PredictedLabel", "Score" } : ["ImagePath", "PredictedLabel", "Score"];
            int written = Predictions.Write(output, imageModel.Transform(images), columns);
            Ui.Error.MarkupLine($"Wrote {written} predictions to [bold]{Markup.Escape(output)}[/].");
            return 0;
        }
        var (model, bp, features) = Open(nets, modelPath);
        bool classification = bp.Model.Kind != PredictionKind.Regression;
        var loader = TabularData.ForModel(data, features, bp.LabelColumnName, classification, separator, labelRequired: false);
        var input = TabularData.Validate(loader);
        int rows = Predictions.Write(output, model.Transform(input), OutputColumns(classification));
        Ui.Error.MarkupLine($"Wrote {rows} predictions to [bold]{Markup.Escape(output)}[/].");
        return 0;
    }

    /// <summary>The model when it is an image classifier, else null (the file is read once per command; models are small next to data).</summary>
    private static ITransformer? OpenImageModel(NetsContext nets, string path)
    {
        var model = nets.Model.Load(path, out _);
        var steps = model as IEnumerable<ITransformer> ?? [model];
        return steps.Any(t => t is CnnPredictionTransformer or ImageClassificationTransformer) ? model : null;
    }

    private static string[] OutputColumns(bool classification) => classification ? ["PredictedLabel", "Score"] : ["Score"];

    private static (ITransformer Model, BackPropagationPredictionTransformer Bp, IReadOnlyList<string> Features) Open(NetsContext nets, string path)
    {
        var model = nets.Model.Load(path, out var schema);
        var steps = model as IEnumerable<ITransformer> ?? [model];
        var bp = steps.OfType<BackPropagationPredictionTransformer>().LastOrDefault()
            ?? throw new InvalidDataException($"Model file '{path}' holds no BP network; nets evaluate/predict work with models from nets train regression|classification.");
        var features = schema?.GetColumnOrNull(bp.FeatureColumnName)?.Annotations.SlotNames
            ?? throw new InvalidDataException($"Model file '{path}' does not record its feature names; it was not written by nets train.");
        return (model, bp, features);
    }

    internal static Result RegressionResult(RegressionMetrics m, double? trainSeconds) => new(
        new RegressionJson(m.RootMeanSquaredError, m.MeanAbsoluteError, m.MeanSquaredError, m.RSquared, trainSeconds),
        rows =>
        {
            var table = new Table().AddColumns("Metric", "Value");
            table.AddRow("RMSE", Ui.F(m.RootMeanSquaredError)).AddRow("MAE", Ui.F(m.MeanAbsoluteError))
                .AddRow("MSE", Ui.F(m.MeanSquaredError)).AddRow("R²", Ui.F(m.RSquared));
            Ui.Out.MarkupLine($"Test set: {rows} rows");
            Ui.Out.Write(table);
        });

    internal static Result ClassificationResult(MulticlassClassificationMetrics m, double? trainSeconds) => new(
        new ClassificationJson(m.MicroAccuracy, m.MacroAccuracy, m.LogLoss, m.ConfusionMatrix.PerClassPrecision.ToArray(),
            m.ConfusionMatrix.PerClassRecall.ToArray(), m.ConfusionMatrix.ClassNames?.ToArray(), trainSeconds),
        rows =>
        {
            Ui.Out.MarkupLine($"Test set: {rows} rows — micro accuracy {Ui.F(m.MicroAccuracy)}, macro accuracy {Ui.F(m.MacroAccuracy)}, log-loss {Ui.F(m.LogLoss)}");
            Ui.Out.WriteLine(m.ConfusionMatrix.GetFormattedConfusionTable());
        });

    internal static void PrintResult(Result result, long rows) => result.Print(rows);

    internal sealed record Result(object Json, Action<long> Print);

    private sealed record RegressionJson(
        [property: JsonPropertyName("rmse")] double Rmse,
        [property: JsonPropertyName("mae")] double Mae,
        [property: JsonPropertyName("mse")] double Mse,
        [property: JsonPropertyName("r2")] double R2,
        [property: JsonPropertyName("trainSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TrainSeconds);

    private sealed record ClassificationJson(
        [property: JsonPropertyName("microAccuracy")] double MicroAccuracy,
        [property: JsonPropertyName("macroAccuracy")] double MacroAccuracy,
        [property: JsonPropertyName("logLoss")] double LogLoss,
        [property: JsonPropertyName("perClassPrecision")] double[] PerClassPrecision,
        [property: JsonPropertyName("perClassRecall")] double[] PerClassRecall,
        [property: JsonPropertyName("classes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Classes,
        [property: JsonPropertyName("trainSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TrainSeconds);

    private sealed class Reporter(Action<BackPropagationProgress> report) : IProgress<BackPropagationProgress>
    {
        public void Report(BackPropagationProgress value) => report(value);
    }
}
