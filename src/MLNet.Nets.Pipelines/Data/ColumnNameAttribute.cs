namespace MLNet.Nets.Data;

/// <summary>The column name of a row-class member when it differs from the member's name.</summary>
/// <param name="name">The column name.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    /// <summary>The column name.</summary>
    public string Name { get; } = name;
}
