namespace MLNet.Nets.Interop.Onnx;

/// <summary>Options and safety limits of <see cref="OnnxImporter"/>; every property documents its default.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>The largest file accepted, in bytes; default 1 GiB (ONNX files without external data stay below 2 GiB).</summary>
    public long MaxFileBytes { get; set; } = 1L << 30;

    /// <summary>The most elements one tensor (initializer or constant) may have; default 2²⁸ (1 GiB of floats).</summary>
    public long MaxTensorElements { get; set; } = 1L << 28;

    /// <summary>The most nodes a graph may have; default 100 000.</summary>
    public int MaxNodes { get; set; } = 100_000;

    /// <summary>The deepest nesting of protobuf messages accepted; default 32.</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>
    /// Per-sample shapes (no batch axis) of graph inputs whose non-batch dimensions the file leaves symbolic, by input
    /// name; default null (every input must have fixed dimensions after the first).
    /// </summary>
    public IReadOnlyDictionary<string, int[]>? InputShapes { get; set; }

    /// <summary>The seed of the imported model (its Dropout layers' masks); default 0.</summary>
    public int Seed { get; set; }
}
