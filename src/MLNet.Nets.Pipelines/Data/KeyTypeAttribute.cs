namespace MLNet.Nets.Data;

/// <summary>Marks a <c>uint</c> member as a key with <paramref name="count"/> categories (1…count, 0 missing).</summary>
/// <param name="count">Number of categories.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class KeyTypeAttribute(int count) : Attribute
{
    /// <summary>Number of categories.</summary>
    public int Count { get; } = count;
}
