using MLNet.Nets.Models;

namespace MLNet.Nets.Callbacks;

/// <summary>
/// Hooks into <c>Model.Fit</c>. Epochs and batches are 0-based. The epoch logs hold <c>loss</c>, the compiled metrics,
/// their <c>val_</c> counterparts when there is validation data, and <c>lr</c>.
/// A callback stops training by setting <see cref="Models.Model.StopTraining"/>.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; set by <c>Fit</c> before <see cref="OnTrainBegin"/>.</summary>
    public Model? Model { get; internal set; }

    /// <summary>The model being trained, or a clear error outside of <c>Fit</c>.</summary>
    protected Model TrainingModel =>
        Model ?? throw new InvalidOperationException($"{GetType().Name} is only usable while a model is being fitted.");

    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin() { }

    /// <summary>Called at the start of each epoch.</summary>
    public virtual void OnEpochBegin(int epoch) { }

    /// <summary>Called after each training batch with the batch's loss.</summary>
    public virtual void OnBatchEnd(int epoch, int batch, float loss) { }

    /// <summary>Called after each epoch (after validation) with the epoch's logs.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { }

    /// <summary>Called once when training ends normally (not after an exception or cancellation).</summary>
    public virtual void OnTrainEnd() { }

    /// <summary>Reads <paramref name="monitor"/> from the logs, with an error listing what is there.</summary>
    protected static float Monitored(IReadOnlyDictionary<string, float> logs, string monitor, string callback)
    {
        if (logs.TryGetValue(monitor, out float value)) return value;
        string hint = monitor.StartsWith("val_", StringComparison.Ordinal)
            ? " Pass validationSplit or validationData to Fit to get validation metrics."
            : "";
        throw new InvalidOperationException(
            $"{callback} monitors '{monitor}', which is not logged. Logged: {string.Join(", ", logs.Keys)}.{hint}");
    }

    /// <summary>True when larger values of <paramref name="monitor"/> are better, for mode "auto".</summary>
    internal static bool ResolveMaximize(MonitorMode mode, string monitor) => mode switch
    {
        MonitorMode.Max => true,
        MonitorMode.Min => false,
        _ => monitor.Contains("acc", StringComparison.OrdinalIgnoreCase),
    };
}
