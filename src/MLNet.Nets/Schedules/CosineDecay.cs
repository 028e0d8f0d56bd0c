namespace MLNet.Nets.Schedules;

/// <summary>
/// Cosine annealing, PyTorch's <c>CosineAnnealingLR</c> in closed form:
/// lr = η_min + (lr₀ − η_min)·(1 + cos(π·epoch / T))/2, held at η_min after epoch T.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="periodEpochs">T: epochs from lr₀ down to the minimum; ≥ 1.</param>
    /// <param name="minLearningRate">η_min; default 0.</param>
    public CosineDecay(int periodEpochs, float minLearningRate = 0f)
    {
        if (periodEpochs < 1) throw new ArgumentOutOfRangeException(nameof(periodEpochs), periodEpochs, "The period must be ≥ 1 epoch.");
        PeriodEpochs = periodEpochs;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Epochs from the initial rate down to the minimum.</summary>
    public int PeriodEpochs { get; }

    /// <summary>The final rate.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc />
    public override float GetLearningRate(int epoch, float initialLearningRate)
    {
        int e = Math.Min(epoch, PeriodEpochs);
        return MinLearningRate + (initialLearningRate - MinLearningRate) * 0.5f * (1f + MathF.Cos(MathF.PI * e / PeriodEpochs));
    }
}
