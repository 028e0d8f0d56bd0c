namespace MLNet.Nets.Training;

/// <summary>
/// Thrown by <c>Model.Fit</c> when the loss becomes NaN or infinite. The model's weights have been restored to those of
/// the last batch whose loss was finite.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The epoch (0-based) where the loss diverged.</param>
    /// <param name="batch">The batch (0-based) within the epoch.</param>
    /// <param name="loss">The non-finite loss value.</param>
    public TrainingDivergedException(int epoch, int batch, float loss)
        : base($"Training diverged: the loss is {loss} at epoch {epoch + 1}, batch {batch + 1} (1-based). " +
               "The weights of the last batch with a finite loss were restored. Try a lower learning rate, gradient " +
               "clipping (Optimizer.ClipNorm), or check the data for NaN/Inf values.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (0-based) where the loss diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (0-based) within the epoch.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss.</summary>
    public float Loss { get; }
}
