namespace MLNet.Nets.Callbacks;

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when <see cref="Monitor"/> has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs, then waits <see cref="Cooldown"/> epochs; never below
/// <see cref="MinLearningRate"/>. Keras's rule.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private bool _maximize;
    private int _wait;
    private int _cooldownCounter;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The logged quantity; default <c>val_loss</c>.</param>
    /// <param name="factor">Factor in (0, 1); default 0.1.</param>
    /// <param name="patience">Epochs without improvement before a reduction; default 10.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement; default 1e-4.</param>
    /// <param name="cooldown">Epochs to wait after a reduction before counting again; default 0.</param>
    /// <param name="minLearningRate">Lower bound of the rate; default 0.</param>
    /// <param name="mode">Whether the quantity should decrease or increase; default by name.</param>
    public ReduceLROnPlateau(string monitor = "val_loss", float factor = 0.1f, int patience = 10, float minDelta = 1e-4f,
        int cooldown = 0, float minLearningRate = 0f, MonitorMode mode = MonitorMode.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be ≥ 0.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "Cooldown must be ≥ 0.");
        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        MinDelta = Math.Abs(minDelta);
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Mode = mode;
    }

    /// <summary>The watched quantity.</summary>
    public string Monitor { get; }
    /// <summary>The reduction factor.</summary>
    public float Factor { get; }
    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; }
    /// <summary>The smallest improvement.</summary>
    public float MinDelta { get; }
    /// <summary>Epochs skipped after a reduction.</summary>
    public int Cooldown { get; }
    /// <summary>Lower bound of the learning rate.</summary>
    public float MinLearningRate { get; }
    /// <summary>Minimise or maximise.</summary>
    public MonitorMode Mode { get; }
    /// <summary>The best value seen.</summary>
    public float Best { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        _maximize = ResolveMaximize(Mode, Monitor);
        Best = _maximize ? float.NegativeInfinity : float.PositiveInfinity;
        _wait = 0;
        _cooldownCounter = 0;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        float current = Monitored(logs, Monitor, nameof(ReduceLROnPlateau));
        bool inCooldown = _cooldownCounter > 0;
        if (inCooldown)
        {
            _cooldownCounter--;
            _wait = 0;
        }
        bool improved = _maximize ? current - MinDelta > Best : current + MinDelta < Best;
        if (improved)
        {
            Best = current;
            _wait = 0;
            return;
        }
        if (inCooldown) return;
        _wait++;
        if (_wait < Patience) return;
        var optimizer = TrainingModel.Optimizer
            ?? throw new InvalidOperationException("ReduceLROnPlateau needs a compiled model (an optimizer).");
        float old = optimizer.LearningRate;
        if (old > MinLearningRate)
        {
            optimizer.LearningRate = Math.Max(old * Factor, MinLearningRate);
            _cooldownCounter = Cooldown;
            _wait = 0;
        }
    }
}
