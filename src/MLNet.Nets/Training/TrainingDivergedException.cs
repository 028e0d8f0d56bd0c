namespace MLNet.Nets.Training;

/// <summary>
/// Training produced a NaN or infinite loss, error, Jacobian or gradient. Training stops and the network keeps the
/// weights of the last step whose loss was finite.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for <paramref name="epoch"/> with a message saying what went non-finite.</summary>
    /// <param name="epoch">The epoch (0-based) where the non-finite value appeared.</param>
    /// <param name="message">What became non-finite, and what was kept.</param>
    public TrainingDivergedException(int epoch, string message) : base(message)
    {
        Epoch = epoch;
        Batch = -1;
        Loss = float.NaN;
    }

    /// <summary>Creates the exception <c>Model.Fit</c> throws when a batch's loss is not finite.</summary>
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

    /// <summary>The epoch (0-based) where training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (0-based) within the epoch, or -1 for full-batch trainers (Levenberg–Marquardt, traingdx).</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss, or NaN when the message names another quantity.</summary>
    public float Loss { get; }
}
