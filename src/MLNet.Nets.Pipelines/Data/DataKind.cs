namespace MLNet.Nets.Data;

/// <summary>The item kinds a data-view column can hold. Vector columns hold a fixed number of items of one kind.</summary>
public enum DataKind
{
    /// <summary>32-bit float (<see cref="float"/>); missing is NaN.</summary>
    Single,
    /// <summary>64-bit float (<see cref="double"/>); missing is NaN.</summary>
    Double,
    /// <summary>32-bit integer (<see cref="int"/>).</summary>
    Int32,
    /// <summary>64-bit integer (<see cref="long"/>).</summary>
    Int64,
    /// <summary>Boolean (<see cref="bool"/>).</summary>
    Boolean,
    /// <summary>Text (<see cref="string"/>); missing is the empty string.</summary>
    String,
    /// <summary>A key: a category index stored as <see cref="uint"/>, 1-based, with 0 meaning missing (as in ML.NET).</summary>
    Key,
    /// <summary>A decoded image (<see cref="MLNet.Nets.Vision.Imaging.Image"/>).</summary>
    Image,
}
