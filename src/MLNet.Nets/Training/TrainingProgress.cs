namespace MLNet.Nets.Training;

/// <summary>Reported by <c>Model.Fit</c> after every training batch.</summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="Epochs">The number of epochs requested.</param>
/// <param name="Batch">The batch just finished, 0-based.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The mean training loss of the epoch so far.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, float Loss, TimeSpan Elapsed)
{
    /// <summary>Fraction of the whole run done, in [0, 1].</summary>
    public double Fraction => Epochs == 0 || Batches == 0 ? 1.0 : (Epoch + (Batch + 1.0) / Batches) / Epochs;

    /// <inheritdoc />
    public override string ToString() => $"epoch {Epoch + 1}/{Epochs} batch {Batch + 1}/{Batches} loss {Loss:G5}";
}
