namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// An image could not be decoded: the file is empty, truncated, corrupt, not an image, or in an unsupported format.
/// The message always starts with the file name (or the name given for a stream/byte buffer).
/// </summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> with a reason.</summary>
    /// <param name="source">The file path, or the name given for a stream or byte buffer.</param>
    /// <param name="reason">What is wrong, without the file name.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ImageFormatException(string source, string reason, Exception? inner = null)
        : base($"{source}: {reason}", inner)
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>The file path, or the name given for the stream or buffer that failed.</summary>
    public new string Source { get; }

    /// <summary>What is wrong with the content, without the file name.</summary>
    public string Reason { get; }
}
