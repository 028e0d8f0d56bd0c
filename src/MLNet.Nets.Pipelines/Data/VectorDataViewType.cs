namespace MLNet.Nets.Data;

/// <summary>A fixed-size vector of <see cref="ItemType"/> items with shape <see cref="Dimensions"/> (row-major).</summary>
public sealed class VectorDataViewType : DataViewType
{
    private readonly int[] _dimensions;
    private readonly DataViewType _item;

    /// <summary>A vector of <paramref name="itemType"/> with the given dimensions (each ≥ 1), e.g. (Single, 13) or (Single, 1, 28, 28).</summary>
    public VectorDataViewType(DataViewType itemType, params int[] dimensions) : base(itemType?.Kind ?? throw new ArgumentNullException(nameof(itemType)))
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (itemType.IsVector) throw new ArgumentException("Vectors of vectors are not supported.", nameof(itemType));
        if (itemType.Kind == DataKind.Image) throw new ArgumentException("Vectors of images are not supported.", nameof(itemType));
        if (dimensions.Length == 0) throw new ArgumentException("A vector type needs at least one dimension.", nameof(dimensions));
        long size = 1;
        foreach (int d in dimensions)
        {
            if (d < 1) throw new ArgumentException($"Vector dimensions must be ≥ 1 but are [{string.Join(", ", dimensions)}].", nameof(dimensions));
            size *= d;
        }
        if (size > int.MaxValue) throw new ArgumentException("The vector is too large.", nameof(dimensions));
        _item = itemType;
        _dimensions = (int[])dimensions.Clone();
        Size = (int)size;
    }

    /// <inheritdoc/>
    public override DataViewType ItemType => _item;
    /// <inheritdoc/>
    public override int Size { get; }
    /// <summary>The shape, e.g. [13] or [1, 28, 28].</summary>
    public IReadOnlyList<int> Dimensions => _dimensions;
    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v._item.Equals(_item) && v._dimensions.AsSpan().SequenceEqual(_dimensions);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(31, _item, Size);
    /// <inheritdoc/>
    public override string ToString() => $"Vector<{_item}, {string.Join(", ", _dimensions)}>";
}
