namespace MLNet.Nets.Data;

/// <summary>Excludes a member of a row class from the data view.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NoColumnAttribute : Attribute;
