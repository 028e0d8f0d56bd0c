using MLNet.Nets.Schedules;

namespace MLNet.Nets.Callbacks;

/// <summary>
/// Sets the optimizer's learning rate at the start of every epoch from a <see cref="LearningRateSchedule"/> (given the
/// rate at the start of training) or from a function of (epoch, current rate), as Keras's callback.
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly LearningRateSchedule? _schedule;
    private readonly Func<int, float, float>? _function;
    private float _initial;

    /// <summary>Uses <paramref name="schedule"/> with the optimizer's rate at the start of training as lr₀.</summary>
    public LearningRateScheduler(LearningRateSchedule schedule) =>
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>Uses <paramref name="schedule"/>(epoch, current rate) → new rate.</summary>
    public LearningRateScheduler(Func<int, float, float> schedule) =>
        _function = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        _initial = (TrainingModel.Optimizer
            ?? throw new InvalidOperationException("LearningRateScheduler needs a compiled model (an optimizer).")).LearningRate;
    }

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch)
    {
        var optimizer = TrainingModel.Optimizer!;
        optimizer.LearningRate = _schedule is not null
            ? _schedule.GetLearningRate(epoch, _initial)
            : _function!(epoch, optimizer.LearningRate);
    }
}
