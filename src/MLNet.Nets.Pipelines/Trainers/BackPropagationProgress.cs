namespace MLNet.Nets.Trainers;

/// <summary>Progress of a back-propagation trainer, reported once per epoch.</summary>
/// <param name="Epoch">The epoch just finished (1-based; 0 is the initial weights for Levenberg–Marquardt).</param>
/// <param name="MaxEpochs">The epoch limit.</param>
/// <param name="Loss">Training loss (mean squared error for regression, cross-entropy or MSE for classification).</param>
/// <param name="ValidationLoss">Validation loss, or NaN without validation rows.</param>
/// <param name="Elapsed">Time since training began.</param>
public readonly record struct BackPropagationProgress(int Epoch, int MaxEpochs, double Loss, double ValidationLoss, TimeSpan Elapsed)
{
    /// <summary>Which network of an ensemble (<see cref="BackPropagationOptions.EnsembleSize"/>) is training, 1-based; 1 for a single network.</summary>
    public int Network { get; init; } = 1;

    /// <summary>How many networks the ensemble has; 1 for a single network.</summary>
    public int EnsembleSize { get; init; } = 1;

    /// <inheritdoc/>
    public override string ToString() => (EnsembleSize > 1 ? $"network {Network}/{EnsembleSize} " : "") +
        (double.IsNaN(ValidationLoss) ? $"epoch {Epoch}/{MaxEpochs} loss {Loss:G5}" : $"epoch {Epoch}/{MaxEpochs} loss {Loss:G5} val_loss {ValidationLoss:G5}");
}
