namespace MLNet.Nets.Callbacks;

/// <summary>Whether a monitored quantity improves by decreasing or increasing.</summary>
public enum MonitorMode
{
    /// <summary>Maximise when the name contains "acc", otherwise minimise.</summary>
    Auto = 0,
    /// <summary>Lower is better (losses, errors).</summary>
    Min,
    /// <summary>Higher is better (accuracy).</summary>
    Max,
}
