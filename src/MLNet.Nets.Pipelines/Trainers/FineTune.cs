namespace MLNet.Nets.Trainers;

/// <summary>Which part of a pretrained network transfer learning trains.</summary>
public sealed record FineTune
{
    private FineTune(int lastBlocks) => LastBlockCount = lastBlocks;

    /// <summary>Only a new classification head, on bottleneck features computed once (and cached on disk) — fast, ML.NET's approach.</summary>
    public static FineTune HeadOnly { get; } = new(0);

    /// <summary>The whole network.</summary>
    public static FineTune Full { get; } = new(int.MaxValue);

    /// <summary>The head and the last <paramref name="count"/> blocks of the feature extractor (e.g. <c>features.17</c>, <c>features.18</c> in MobileNetV2).</summary>
    public static FineTune LastBlocks(int count) => count >= 1 ? new(count) : throw new ArgumentOutOfRangeException(nameof(count), "At least one block.");

    /// <summary>Blocks of the extractor trained: 0 for head only, int.MaxValue for all.</summary>
    public int LastBlockCount { get; }

    /// <summary>Parses <c>head</c>, <c>full</c> or <c>last:N</c>.</summary>
    public static FineTune Parse(string text) => text switch
    {
        "head" => HeadOnly,
        "full" => Full,
        _ when text.StartsWith("last:", StringComparison.Ordinal) && int.TryParse(text[5..], out int n) && n >= 1 => LastBlocks(n),
        _ => throw new ArgumentException($"--fine-tune must be head, full or last:N, not '{text}'."),
    };

    /// <inheritdoc/>
    public override string ToString() => LastBlockCount switch { 0 => "head", int.MaxValue => "full", _ => $"last:{LastBlockCount}" };
}
