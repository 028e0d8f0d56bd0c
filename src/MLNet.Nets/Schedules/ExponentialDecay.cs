namespace MLNet.Nets.Schedules;

/// <summary>lr = lr₀ · γ^epoch, as PyTorch's <c>ExponentialLR</c>.</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">Factor per epoch, in (0, 1] for a decay.</param>
    public ExponentialDecay(float gamma)
    {
        if (!(gamma > 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be positive.");
        Gamma = gamma;
    }

    /// <summary>Factor per epoch.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override float GetLearningRate(int epoch, float initialLearningRate) =>
        initialLearningRate * MathF.Pow(Gamma, epoch);
}
