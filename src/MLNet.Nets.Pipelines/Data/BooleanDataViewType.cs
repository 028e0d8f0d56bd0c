namespace MLNet.Nets.Data;

/// <summary>The Boolean type.</summary>
public sealed class BooleanDataViewType : DataViewType
{
    private BooleanDataViewType() : base(DataKind.Boolean) { }
    /// <summary>The one instance.</summary>
    public static BooleanDataViewType Instance { get; } = new();
    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is BooleanDataViewType;
    /// <inheritdoc/>
    public override int GetHashCode() => 17;
    /// <inheritdoc/>
    public override string ToString() => "Boolean";
}
