namespace MLNet.Nets.Data;

/// <summary>
/// A key (category index) type with <see cref="Count"/> categories, stored as uint 1…Count, 0 for missing. The
/// column's <c>KeyValues</c> annotation, when present, holds the value of each category.
/// </summary>
public sealed class KeyDataViewType : DataViewType
{
    /// <summary>A key type with <paramref name="count"/> categories (≥ 1).</summary>
    public KeyDataViewType(int count) : base(DataKind.Key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
    }

    /// <summary>Number of categories.</summary>
    public int Count { get; }
    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is KeyDataViewType k && k.Count == Count;
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(23, Count);
    /// <inheritdoc/>
    public override string ToString() => $"Key<{Count}>";
}
