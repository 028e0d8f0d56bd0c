namespace MLNet.Nets.Data;

/// <summary>The text type.</summary>
public sealed class TextDataViewType : DataViewType
{
    private TextDataViewType() : base(DataKind.String) { }
    /// <summary>The one instance.</summary>
    public static TextDataViewType Instance { get; } = new();
    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is TextDataViewType;
    /// <inheritdoc/>
    public override int GetHashCode() => 19;
    /// <inheritdoc/>
    public override string ToString() => "String";
}
