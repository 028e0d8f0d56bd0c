using MLNet.Nets.Tensors;

namespace MLNet.Nets.Serialization;

/// <summary>
/// The tensors and metadata read from a safetensors file by <see cref="SafeTensors.Read(Stream, string?)"/>.
/// </summary>
/// <remarks>
/// Every tensor is converted to <see cref="float"/> whatever its stored dtype; <see cref="DTypes"/> keeps the stored
/// dtype name (<c>"F32"</c>, <c>"F16"</c>, <c>"BF16"</c>, <c>"F64"</c>, <c>"I64"</c>, …) so a caller can tell a
/// converted integer tensor (for example a batch-norm <c>num_batches_tracked</c> counter) from a real weight.
/// </remarks>
public sealed class SafeTensorsContent
{
    /// <summary>Creates the result of a read.</summary>
    /// <param name="tensors">The tensors, in the order of the file's header.</param>
    /// <param name="dtypes">The stored dtype of each tensor, by name.</param>
    /// <param name="metadata">The <c>__metadata__</c> string map (empty when the file has none).</param>
    public SafeTensorsContent(
        OrderedDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string> dtypes,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(dtypes);
        ArgumentNullException.ThrowIfNull(metadata);
        Tensors = tensors;
        DTypes = dtypes;
        Metadata = metadata;
    }

    /// <summary>The tensors by name, in the order they appear in the file's JSON header.</summary>
    public OrderedDictionary<string, Tensor> Tensors { get; }

    /// <summary>The dtype each tensor had in the file (safetensors names such as <c>"F32"</c>), by tensor name.</summary>
    public IReadOnlyDictionary<string, string> DTypes { get; }

    /// <summary>The free-form <c>__metadata__</c> map of the header; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
