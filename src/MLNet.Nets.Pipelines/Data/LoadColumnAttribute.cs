namespace MLNet.Nets.Data;

/// <summary>
/// Which field(s) of a text file a member of a row class is loaded from (0-based), as in ML.NET. A range or list of
/// fields makes a vector member (<c>float[]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>Loads the member from field <paramref name="fieldIndex"/>.</summary>
    public LoadColumnAttribute(int fieldIndex) => Sources = [fieldIndex];

    /// <summary>Loads a vector member from fields <paramref name="start"/>…<paramref name="end"/> (inclusive).</summary>
    public LoadColumnAttribute(int start, int end)
    {
        if (start < 0 || end < start) throw new ArgumentException($"The field range {start}..{end} is empty or negative.");
        Sources = Enumerable.Range(start, end - start + 1).ToArray();
    }

    /// <summary>Loads a vector member from the listed fields.</summary>
    public LoadColumnAttribute(int[] fieldIndexes) => Sources = (int[])fieldIndexes.Clone();

    /// <summary>The field indices.</summary>
    public IReadOnlyList<int> Sources { get; }
}
