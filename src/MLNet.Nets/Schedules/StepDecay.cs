namespace MLNet.Nets.Schedules;

/// <summary>lr = lr₀ · γ^⌊epoch / stepSize⌋, as PyTorch's <c>StepLR</c>.</summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Epochs between decays; ≥ 1.</param>
    /// <param name="gamma">Factor applied every <paramref name="stepSize"/> epochs; default 0.1.</param>
    public StepDecay(int stepSize, float gamma = 0.1f)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "Step size must be ≥ 1.");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override float GetLearningRate(int epoch, float initialLearningRate) =>
        initialLearningRate * MathF.Pow(Gamma, epoch / StepSize);
}
