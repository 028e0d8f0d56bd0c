namespace MLNet.Nets;

/// <summary>A log message from a component of a <see cref="NetsContext"/>.</summary>
/// <param name="source">The component (e.g. "BackPropagation").</param>
/// <param name="message">The message.</param>
public sealed class LoggingEventArgs(string source, string message) : EventArgs
{
    /// <summary>The component that wrote the message.</summary>
    public string Source { get; } = source;

    /// <summary>The message.</summary>
    public string Message { get; } = message;

    /// <inheritdoc/>
    public override string ToString() => $"[{Source}] {Message}";
}
