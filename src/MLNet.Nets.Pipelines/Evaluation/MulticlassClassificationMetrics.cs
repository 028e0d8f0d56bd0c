namespace MLNet.Nets.Evaluation;

/// <summary>Multiclass classification quality, with ML.NET's names (see <see cref="MulticlassClassificationEvaluator"/>).</summary>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(double micro, double macro, double logLoss, double logLossReduction, int topK, double topKAccuracy,
        double[] topKForAllK, double[] perClassLogLoss, ConfusionMatrix confusionMatrix)
    {
        MicroAccuracy = micro;
        MacroAccuracy = macro;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        TopKPredictionCount = topK;
        TopKAccuracy = topKAccuracy;
        TopKAccuracyForAllK = topKForAllK;
        PerClassLogLoss = perClassLogLoss;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>Share of rows predicted correctly.</summary>
    public double MicroAccuracy { get; }

    /// <summary>Mean over the classes present in the labels of each class's recall.</summary>
    public double MacroAccuracy { get; }

    /// <summary>Mean of −ln p(true class), probabilities clamped to at least 1e-15 (natural log, as ML.NET).</summary>
    public double LogLoss { get; }

    /// <summary>(prior log-loss − LogLoss) / prior log-loss, the prior predicting each class's share for every row.</summary>
    public double LogLossReduction { get; }

    /// <summary>The K of <see cref="TopKAccuracy"/> (0 when not asked for).</summary>
    public int TopKPredictionCount { get; }

    /// <summary>Share of rows whose true class is among the K most probable (ties broken toward the lower class index); 0 when K is 0, as ML.NET.</summary>
    public double TopKAccuracy { get; }

    /// <summary>Top-k accuracy for every k = 1 … number of classes.</summary>
    public IReadOnlyList<double> TopKAccuracyForAllK { get; }

    /// <summary>Mean log-loss of each class's rows (0 for a class without rows, as ML.NET).</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    /// <summary>Counts [actual][predicted] with per-class precision, recall and F1.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"MicroAccuracy {MicroAccuracy:F4}  MacroAccuracy {MacroAccuracy:F4}  LogLoss {LogLoss:F4}  LogLossReduction {LogLossReduction:F4}");
}
