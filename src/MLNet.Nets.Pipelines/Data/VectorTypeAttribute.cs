namespace MLNet.Nets.Data;

/// <summary>The fixed shape of an array member of a row class, e.g. <c>[VectorType(13)]</c> or <c>[VectorType(1, 28, 28)]</c>.</summary>
/// <param name="dimensions">The dimensions; their product is the number of items.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute(params int[] dimensions) : Attribute
{
    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Dimensions { get; } = dimensions;
}
