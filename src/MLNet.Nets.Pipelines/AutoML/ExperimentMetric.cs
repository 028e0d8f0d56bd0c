using MLNet.Nets.Data;
using MLNet.Nets.Trainers;

namespace MLNet.Nets.AutoML;

/// <summary>The metrics an experiment can optimize, by ML.NET's names, and how each is read from the evaluators.</summary>
internal static class ExperimentMetric
{
    private static readonly string[] Higher = ["RSquared", "Accuracy", "AreaUnderRocCurve", "AreaUnderPrecisionRecallCurve", "F1Score", "MicroAccuracy", "MacroAccuracy", "LogLossReduction"];

    /// <summary>The metrics of a task, the default first.</summary>
    public static string[] Allowed(PredictionKind kind) => kind switch
    {
        PredictionKind.Regression => ["RSquared", "RootMeanSquaredError", "MeanAbsoluteError", "MeanSquaredError"],
        PredictionKind.BinaryClassification => ["Accuracy", "AreaUnderRocCurve", "AreaUnderPrecisionRecallCurve", "F1Score", "LogLoss", "LogLossReduction"],
        _ => ["MicroAccuracy", "MacroAccuracy", "LogLoss", "LogLossReduction"],
    };

    /// <summary>The metric named <paramref name="name"/> (any case; null for the task's default) and whether larger is better.</summary>
    /// <exception cref="ArgumentException">It is not a metric of <paramref name="kind"/>.</exception>
    public static (string Name, bool HigherIsBetter) Resolve(PredictionKind kind, string? name)
    {
        var allowed = Allowed(kind);
        name ??= allowed[0];
        var match = allowed.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{name}' is not a {kind} metric; use one of {string.Join(", ", allowed)}.");
        return (match, Higher.Contains(match));
    }

    /// <summary>The value of <paramref name="metric"/> on scored rows.</summary>
    public static double Read(NetsContext context, PredictionKind kind, string metric, IDataView scored, string label)
    {
        switch (kind)
        {
            case PredictionKind.Regression:
                var r = context.Regression.Evaluate(scored, label);
                return metric switch
                {
                    "RSquared" => r.RSquared,
                    "RootMeanSquaredError" => r.RootMeanSquaredError,
                    "MeanAbsoluteError" => r.MeanAbsoluteError,
                    _ => r.MeanSquaredError,
                };
            case PredictionKind.BinaryClassification:
                var b = context.BinaryClassification.Evaluate(scored, label);
                return metric switch
                {
                    "Accuracy" => b.Accuracy,
                    "AreaUnderRocCurve" => b.AreaUnderRocCurve,
                    "AreaUnderPrecisionRecallCurve" => b.AreaUnderPrecisionRecallCurve,
                    "F1Score" => b.F1Score,
                    "LogLoss" => b.LogLoss,
                    _ => b.LogLossReduction,
                };
            default:
                var m = context.MulticlassClassification.Evaluate(scored, label);
                return metric switch
                {
                    "MicroAccuracy" => m.MicroAccuracy,
                    "MacroAccuracy" => m.MacroAccuracy,
                    "LogLoss" => m.LogLoss,
                    _ => m.LogLossReduction,
                };
        }
    }
}
