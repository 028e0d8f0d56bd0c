namespace MLNet.Nets.Schedules;

/// <summary>
/// A learning rate as a function of the epoch (0-based) and the initial rate, applied at the start of each epoch by
/// the <see cref="Callbacks.LearningRateScheduler"/> callback — the epoch-wise convention of PyTorch's
/// <c>lr_scheduler</c>. Reduce-on-plateau needs the validation metric and is the
/// <see cref="Callbacks.ReduceLROnPlateau"/> callback.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/> (0-based) given the rate the optimizer started with.</summary>
    public abstract float GetLearningRate(int epoch, float initialLearningRate);
}
