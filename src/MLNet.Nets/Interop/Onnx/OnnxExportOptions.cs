namespace MLNet.Nets.Interop.Onnx;

/// <summary>Options of <see cref="OnnxExporter"/>; every property documents its default.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The default-domain operator set to target, 13–17; default 17.</summary>
    public int OpsetVersion { get; set; } = 17;

    /// <summary>
    /// Names of the graph inputs, one per model input; default null: the model's input names (<c>input</c>, …).
    /// </summary>
    public IReadOnlyList<string>? InputNames { get; set; }

    /// <summary>
    /// Names of the graph outputs, one per model output; default null: <c>output</c> for a single-output model, the
    /// output layers' names otherwise.
    /// </summary>
    public IReadOnlyList<string>? OutputNames { get; set; }

    /// <summary>The symbolic name of the first (batch) dimension of inputs and outputs; default <c>batch</c>.</summary>
    public string BatchDimensionName { get; set; } = "batch";

    /// <summary>A fixed batch size instead of the symbolic batch dimension; default null (dynamic).</summary>
    public int? BatchSize { get; set; }

    /// <summary>
    /// True (default) writes Dropout layers as ONNX Dropout nodes (identity at inference; kept so that an imported model
    /// fine-tunes with the same dropout); false leaves them out.
    /// </summary>
    public bool KeepDropout { get; set; } = true;

    /// <summary>The producer written to the file; default <c>MLNet.Nets</c>.</summary>
    public string ProducerName { get; set; } = "MLNet.Nets";

    /// <summary>The graph's name; default <c>mlnet_nets</c>.</summary>
    public string GraphName { get; set; } = "mlnet_nets";

    /// <summary>The model version written to the file; default 1.</summary>
    public long ModelVersion { get; set; } = 1;

    /// <summary>A description written as the model's doc string; default null.</summary>
    public string? Description { get; set; }
}
