using MLNet.Nets.Tensors;

namespace MLNet.Nets.Callbacks;

/// <summary>
/// Stops training when <see cref="Monitor"/> has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs (Keras's rule), and optionally restores the weights of the best epoch at the end.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private IReadOnlyList<Tensor>? _bestWeights;
    private int _wait;
    private bool _maximize;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The logged quantity to watch; default <c>val_loss</c>.</param>
    /// <param name="patience">Epochs without improvement before stopping; default 0.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement; default 0.</param>
    /// <param name="restoreBestWeights">At the end of training, put back the weights of the best epoch; default false.</param>
    /// <param name="mode">Whether the quantity should decrease or increase; default by name.</param>
    public EarlyStopping(string monitor = "val_loss", int patience = 0, float minDelta = 0f, bool restoreBestWeights = false,
        MonitorMode mode = MonitorMode.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be ≥ 0.");
        Monitor = monitor;
        Patience = patience;
        MinDelta = Math.Abs(minDelta);
        RestoreBestWeights = restoreBestWeights;
        Mode = mode;
    }

    /// <summary>The watched quantity.</summary>
    public string Monitor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The smallest improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether the best weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Minimise or maximise.</summary>
    public MonitorMode Mode { get; }

    /// <summary>The best value seen.</summary>
    public float Best { get; private set; }

    /// <summary>The epoch (0-based) of the best value, or -1.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The epoch (0-based) at which training was stopped, or -1 when it ran to the end.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        _maximize = ResolveMaximize(Mode, Monitor);
        Best = _maximize ? float.NegativeInfinity : float.PositiveInfinity;
        BestEpoch = -1;
        StoppedEpoch = -1;
        _wait = 0;
        _bestWeights = null;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        float current = Monitored(logs, Monitor, nameof(EarlyStopping));
        _wait++;
        bool improved = _maximize ? current - MinDelta > Best : current + MinDelta < Best;
        if (improved)
        {
            Best = current;
            BestEpoch = epoch;
            _wait = 0;
            if (RestoreBestWeights) _bestWeights = TrainingModel.GetWeights();
            return;
        }
        if (_wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            TrainingModel.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd()
    {
        if (RestoreBestWeights && _bestWeights is not null) TrainingModel.SetWeights(_bestWeights);
    }
}
