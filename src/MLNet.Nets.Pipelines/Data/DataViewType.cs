using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Data;

/// <summary>
/// The type of a data-view column: an item kind (<see cref="DataKind"/>), and for vectors a fixed shape. Values of a
/// column are stored as arrays of <see cref="RawType"/>; a vector column of size S stores S consecutive items per row.
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    private protected DataViewType(DataKind kind) => Kind = kind;

    /// <summary>The kind of each item.</summary>
    public DataKind Kind { get; }

    /// <summary>The CLR type of one item: float, double, int, long, bool, string, uint (keys) or Image.</summary>
    public Type RawType => RawTypeOf(Kind);

    /// <summary>Items per row: 1 for a scalar, the product of the dimensions for a vector.</summary>
    public virtual int Size => 1;

    /// <summary>True for a vector type.</summary>
    public bool IsVector => this is VectorDataViewType;

    /// <summary>The item type: this type for a scalar, the element type for a vector.</summary>
    public virtual DataViewType ItemType => this;

    /// <summary>True when the items are float or double.</summary>
    public bool IsFloatingPoint => Kind is DataKind.Single or DataKind.Double;

    /// <summary>True when the items are numbers (float, double, int, long).</summary>
    public bool IsNumeric => Kind is DataKind.Single or DataKind.Double or DataKind.Int32 or DataKind.Int64;

    /// <summary>The CLR type that stores one item of <paramref name="kind"/>.</summary>
    public static Type RawTypeOf(DataKind kind) => kind switch
    {
        DataKind.Single => typeof(float),
        DataKind.Double => typeof(double),
        DataKind.Int32 => typeof(int),
        DataKind.Int64 => typeof(long),
        DataKind.Boolean => typeof(bool),
        DataKind.String => typeof(string),
        DataKind.Key => typeof(uint),
        DataKind.Image => typeof(Image),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data kind."),
    };

    /// <summary>The scalar type of <paramref name="kind"/> (keys need <see cref="KeyDataViewType"/> with a count).</summary>
    public static DataViewType Scalar(DataKind kind) => kind switch
    {
        DataKind.Single => NumberDataViewType.Single,
        DataKind.Double => NumberDataViewType.Double,
        DataKind.Int32 => NumberDataViewType.Int32,
        DataKind.Int64 => NumberDataViewType.Int64,
        DataKind.Boolean => BooleanDataViewType.Instance,
        DataKind.String => TextDataViewType.Instance,
        DataKind.Image => ImageDataViewType.Any,
        DataKind.Key => throw new ArgumentException("A key type needs its count: use new KeyDataViewType(count)."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data kind."),
    };

    /// <summary>A new array of <paramref name="length"/> items of this type's <see cref="RawType"/>.</summary>
    public Array CreateArray(int length) => Kind switch
    {
        DataKind.Single => new float[length],
        DataKind.Double => new double[length],
        DataKind.Int32 => new int[length],
        DataKind.Int64 => new long[length],
        DataKind.Boolean => new bool[length],
        DataKind.String => CreateStrings(length),
        DataKind.Key => new uint[length],
        DataKind.Image => new Image?[length],
        _ => throw new InvalidOperationException($"Unknown data kind {Kind}."),
    };

    private static string[] CreateStrings(int length)
    {
        var a = new string[length];
        Array.Fill(a, string.Empty);
        return a;
    }

    /// <inheritdoc/>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewType t && Equals(t);

    /// <inheritdoc/>
    public abstract override int GetHashCode();
}
