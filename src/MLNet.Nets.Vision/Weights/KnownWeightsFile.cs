namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// A published weights file: its name in the registry, the architecture it fits, the reference file name and download
/// address, its SHA-256 and the preprocessing its network expects.
/// </summary>
/// <remarks>
/// torchvision names its files <c>&lt;arch&gt;-&lt;first 8 hex digits of the SHA-256&gt;.pth</c>; when only that prefix is
/// known, <see cref="Sha256"/> is null and the cache verifies the prefix, as <c>torch.hub</c> does.
/// </remarks>
public sealed record KnownWeightsFile
{
    /// <summary>Describes a weights file.</summary>
    /// <param name="name">Registry name, for example <c>mobilenet_v2</c> or <c>mobilenet_v2.imagenet1k_v2</c>.</param>
    /// <param name="architecture">The zoo architecture the tensors fit (<c>mobilenet_v2</c>, <c>resnet18</c>, …).</param>
    /// <param name="fileName">The reference file name, used as the file's name in the cache folder.</param>
    /// <param name="url">Where the file is downloaded from.</param>
    /// <param name="sha256">The full SHA-256 as 64 hex digits, or a leading prefix of it (at least 8 hex digits).</param>
    /// <exception cref="ArgumentException">The file name has a folder part or the hash is not hex of length 8–64.</exception>
    public KnownWeightsFile(string name, string architecture, string fileName, Uri url, string sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        if (fileName != Path.GetFileName(fileName) || fileName is "." or "..")
        {
            throw new ArgumentException($"Weights file name '{fileName}' must be a bare file name.", nameof(fileName));
        }
        if (sha256.Length is < 8 or > 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"SHA-256 '{sha256}' must be 8 to 64 hex digits.", nameof(sha256));
        }
        Name = name;
        Architecture = architecture;
        FileName = fileName;
        Url = url;
        Sha256Prefix = sha256.ToLowerInvariant();
    }

    /// <summary>Registry name, for example <c>mobilenet_v2</c>.</summary>
    public string Name { get; }

    /// <summary>The zoo architecture the tensors fit.</summary>
    public string Architecture { get; }

    /// <summary>The reference file name (also its name in the cache folder).</summary>
    public string FileName { get; }

    /// <summary>The download address.</summary>
    public Uri Url { get; }

    /// <summary>The known part of the SHA-256, lower-case hex: all 64 digits when known, else a prefix.</summary>
    public string Sha256Prefix { get; }

    /// <summary>The full SHA-256 (64 lower-case hex digits), or null when only a prefix is known.</summary>
    public string? Sha256 => Sha256Prefix.Length == 64 ? Sha256Prefix : null;

    /// <summary>Side of the square crop the network was trained on, in pixels (224; 299 for Inception V3).</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>Side the shorter image edge is resized to before the centre crop, in pixels (256; 342 for Inception V3).</summary>
    public int ResizeSize { get; init; } = 256;

    /// <summary>Per-channel RGB mean subtracted from pixels scaled to [0, 1] (torchvision's ImageNet mean by default).</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary>Per-channel RGB standard deviation the centred pixels are divided by (torchvision's ImageNet std by default).</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Number of output classes of the pretrained head (1000 for ImageNet).</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>True when <paramref name="sha256Hex"/> (a full digest) agrees with every known digit.</summary>
    public bool Matches(string sha256Hex) =>
        sha256Hex.Length == 64 && sha256Hex.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({FileName})";
}
