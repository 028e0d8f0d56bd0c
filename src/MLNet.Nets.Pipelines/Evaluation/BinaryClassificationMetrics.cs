namespace MLNet.Nets.Evaluation;

/// <summary>Binary classification quality, with ML.NET's names (see <see cref="BinaryClassificationEvaluator"/>).</summary>
public sealed class BinaryClassificationMetrics
{
    internal BinaryClassificationMetrics(double accuracy, double auc, double auprc, double f1, double positivePrecision, double positiveRecall,
        double negativePrecision, double negativeRecall, double logLoss, double logLossReduction, double entropy, ConfusionMatrix confusionMatrix)
    {
        Accuracy = accuracy;
        AreaUnderRocCurve = auc;
        AreaUnderPrecisionRecallCurve = auprc;
        F1Score = f1;
        PositivePrecision = positivePrecision;
        PositiveRecall = positiveRecall;
        NegativePrecision = negativePrecision;
        NegativeRecall = negativeRecall;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        Entropy = entropy;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>Share of rows predicted correctly.</summary>
    public double Accuracy { get; }

    /// <summary>Area under the ROC curve of the scores (ties count one half, as scikit-learn's <c>roc_auc_score</c>); NaN with one class only.</summary>
    public double AreaUnderRocCurve { get; }

    /// <summary>Area under the precision–recall curve as average precision (scikit-learn's <c>average_precision_score</c>); 0 without positive rows.</summary>
    public double AreaUnderPrecisionRecallCurve { get; }

    /// <summary>Harmonic mean of positive precision and recall (0 when both are 0).</summary>
    public double F1Score { get; }

    /// <summary>TP / (TP + FP); 0 when nothing is predicted positive.</summary>
    public double PositivePrecision { get; }

    /// <summary>TP / (TP + FN); 0 without positive rows.</summary>
    public double PositiveRecall { get; }

    /// <summary>TN / (TN + FN); 0 when nothing is predicted negative.</summary>
    public double NegativePrecision { get; }

    /// <summary>TN / (TN + FP); 0 without negative rows.</summary>
    public double NegativeRecall { get; }

    /// <summary>Mean log-loss of the probabilities in bits (log base 2, as ML.NET); probabilities are clamped to [1e-15, 1 − 1e-15], so one
    /// confident mistake gives a large finite loss where ML.NET gives ∞. NaN without probabilities.</summary>
    public double LogLoss { get; }

    /// <summary>(Entropy − LogLoss) / Entropy: how much better than predicting the positive share for every row.</summary>
    public double LogLossReduction { get; }

    /// <summary>Entropy of the labels' prior, in bits.</summary>
    public double Entropy { get; }

    /// <summary>Counts [actual][predicted] in ML.NET's order: class 0 = positive, class 1 = negative ([[TP, FN], [FP, TN]]).</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"Accuracy {Accuracy:F4}  AUC {AreaUnderRocCurve:F4}  AUPRC {AreaUnderPrecisionRecallCurve:F4}  F1 {F1Score:F4}  LogLoss {LogLoss:F4}");
}
