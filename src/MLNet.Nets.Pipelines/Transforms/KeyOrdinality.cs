namespace MLNet.Nets.Transforms;

/// <summary>How <c>MapValueToKey</c> numbers the categories it finds.</summary>
public enum KeyOrdinality
{
    /// <summary>In order of first appearance in the data (ML.NET's default).</summary>
    ByOccurrence,
    /// <summary>In sorted order of the values (numbers ascending, text ordinally).</summary>
    ByValue,
}
