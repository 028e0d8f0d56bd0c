namespace MLNet.Nets.Trainers;

/// <summary>What a CNN trainer reports after each epoch (see <see cref="CnnOptions.MetricsCallback"/>).</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Loss">Mean training cross-entropy.</param>
/// <param name="Accuracy">Training accuracy.</param>
/// <param name="ValidationLoss">Validation cross-entropy, NaN without validation rows.</param>
/// <param name="ValidationAccuracy">Validation accuracy, NaN without validation rows.</param>
/// <param name="LearningRate">The learning rate in use.</param>
/// <param name="Elapsed">Time since training began.</param>
public readonly record struct CnnEpochMetrics(int Epoch, double Loss, double Accuracy, double ValidationLoss, double ValidationAccuracy,
    double LearningRate, TimeSpan Elapsed)
{
    /// <inheritdoc/>
    public override string ToString() => double.IsNaN(ValidationLoss)
        ? FormattableString.Invariant($"epoch {Epoch}: loss {Loss:F4} accuracy {Accuracy:F4} ({Elapsed.TotalSeconds:F1} s)")
        : FormattableString.Invariant($"epoch {Epoch}: loss {Loss:F4} accuracy {Accuracy:F4} val_loss {ValidationLoss:F4} val_accuracy {ValidationAccuracy:F4} ({Elapsed.TotalSeconds:F1} s)");
}
