namespace MLNet.Nets.Training;

/// <summary>
/// Training produced a NaN or infinite error, Jacobian or gradient. The network keeps the last weights that gave a
/// finite error.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for <paramref name="epoch"/> with a message saying what went non-finite.</summary>
    public TrainingDivergedException(int epoch, string message) : base(message) => Epoch = epoch;

    /// <summary>The epoch at which the non-finite value appeared.</summary>
    public int Epoch { get; }
}
