namespace MLNet.Nets.Data;

/// <summary>A scalar number type: <see cref="Single"/>, <see cref="Double"/>, <see cref="Int32"/>, <see cref="Int64"/>.</summary>
public sealed class NumberDataViewType : DataViewType
{
    private NumberDataViewType(DataKind kind) : base(kind) { }

    /// <summary>32-bit float.</summary>
    public static NumberDataViewType Single { get; } = new(DataKind.Single);
    /// <summary>64-bit float.</summary>
    public static NumberDataViewType Double { get; } = new(DataKind.Double);
    /// <summary>32-bit integer.</summary>
    public static NumberDataViewType Int32 { get; } = new(DataKind.Int32);
    /// <summary>64-bit integer.</summary>
    public static NumberDataViewType Int64 { get; } = new(DataKind.Int64);

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is NumberDataViewType n && n.Kind == Kind;
    /// <inheritdoc/>
    public override int GetHashCode() => (int)Kind;
    /// <inheritdoc/>
    public override string ToString() => Kind.ToString();
}
