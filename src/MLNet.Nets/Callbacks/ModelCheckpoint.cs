using System.Globalization;

namespace MLNet.Nets.Callbacks;

/// <summary>
/// Saves the model (architecture and weights, atomically) after epochs: every epoch, or only when
/// <see cref="Monitor"/> improves (<see cref="SaveBestOnly"/>). The path may contain <c>{epoch}</c>, replaced by the
/// 1-based epoch number.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private bool _maximize;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The <c>.zip</c> file to write; may contain <c>{epoch}</c>.</param>
    /// <param name="monitor">The quantity compared when <paramref name="saveBestOnly"/>; default <c>val_loss</c>.</param>
    /// <param name="saveBestOnly">Save only when the monitored quantity improves; default false.</param>
    /// <param name="mode">Whether the quantity should decrease or increase; default by name.</param>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, MonitorMode mode = MonitorMode.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        Path = path;
        Monitor = monitor;
        SaveBestOnly = saveBestOnly;
        Mode = mode;
    }

    /// <summary>The file path pattern.</summary>
    public string Path { get; }

    /// <summary>The watched quantity.</summary>
    public string Monitor { get; }

    /// <summary>Save only on improvement.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Minimise or maximise.</summary>
    public MonitorMode Mode { get; }

    /// <summary>The best value seen (when <see cref="SaveBestOnly"/>).</summary>
    public float Best { get; private set; }

    /// <summary>The path of the last file written, or null.</summary>
    public string? LastSavedPath { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        _maximize = ResolveMaximize(Mode, Monitor);
        Best = _maximize ? float.NegativeInfinity : float.PositiveInfinity;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (SaveBestOnly)
        {
            float current = Monitored(logs, Monitor, nameof(ModelCheckpoint));
            bool improved = _maximize ? current > Best : current < Best;
            if (!improved) return;
            Best = current;
        }
        string file = Path.Replace("{epoch}", (epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        TrainingModel.Save(file);
        LastSavedPath = file;
    }
}
