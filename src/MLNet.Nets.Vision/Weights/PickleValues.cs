namespace MLNet.Nets.Vision.Weights;

// The values the restricted unpickler builds. Python's None, bool, int, float, str and bytes map to null, bool,
// long (or BigInteger), double, string and byte[]; lists map to List<object?>; the rest are below.

/// <summary>A Python tuple (immutable; compared by reference like any other pickled object).</summary>
internal sealed class PickleTuple(object?[] items)
{
    public object?[] Items { get; } = items;

    public int Count => Items.Length;

    public object? this[int index] => Items[index];
}

/// <summary>A Python dict or OrderedDict, keeping insertion order; a repeated key replaces the value in place.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    public int Count => _items.Count;

    public void Set(object? key, object? value, long offset)
    {
        if (key is null or List<object?> or PickleDict)
        {
            throw new InvalidDataException($"dict key of type {PickleValues.Describe(key)} at pickle offset {offset} is not hashable.");
        }
        if (_index.TryGetValue(key, out int at))
        {
            _items[at] = new(key, value);
        }
        else
        {
            _index.Add(key, _items.Count);
            _items.Add(new(key, value));
        }
    }

    public object? Get(string key) => _index.TryGetValue(key, out int at) ? _items[at].Value : null;
}

/// <summary>One of the allowed globals (a rebuild function, OrderedDict, a storage type or torch.Size).</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
}

/// <summary>A tensor storage named by a persistent id: element type, key of its bytes, element count.</summary>
internal sealed record TorchStorageRef(TorchDType DType, string Key, string Location, long ElementCount)
{
    /// <summary>For legacy files: the storage is a view of <see cref="Key"/> starting at this element.</summary>
    public long ViewOffset { get; init; }
}

/// <summary>A tensor: a strided view of a storage, materialised after the pickle has been read.</summary>
internal sealed record TorchTensorRef(TorchStorageRef Storage, long StorageOffset, int[] Size, long[] Stride);

/// <summary>The element types of PyTorch storages that weights use.</summary>
internal enum TorchDType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}

internal static class PickleValues
{
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long or System.Numerics.BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        PickleTuple => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        PickleGlobal g => g.FullName,
        TorchStorageRef => "storage",
        TorchTensorRef => "tensor",
        _ => value.GetType().Name,
    };

    public static int ElementSize(TorchDType dtype) => dtype switch
    {
        TorchDType.Float64 or TorchDType.Int64 => 8,
        TorchDType.Float32 or TorchDType.Int32 => 4,
        TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Int16 => 2,
        _ => 1,
    };

    /// <summary>The dtype name in PyTorch's spelling (<c>float32</c>, <c>int64</c>, …).</summary>
    public static string TorchName(TorchDType dtype) => dtype switch
    {
        TorchDType.Float32 => "float32",
        TorchDType.Float16 => "float16",
        TorchDType.BFloat16 => "bfloat16",
        TorchDType.Float64 => "float64",
        TorchDType.Int64 => "int64",
        TorchDType.Int32 => "int32",
        TorchDType.Int16 => "int16",
        TorchDType.Int8 => "int8",
        TorchDType.UInt8 => "uint8",
        _ => "bool",
    };

    /// <summary>The storage classes torch.save names as <c>torch.XxxStorage</c>.</summary>
    public static TorchDType? StorageDType(string name) => name switch
    {
        "FloatStorage" => TorchDType.Float32,
        "HalfStorage" => TorchDType.Float16,
        "BFloat16Storage" => TorchDType.BFloat16,
        "DoubleStorage" => TorchDType.Float64,
        "LongStorage" => TorchDType.Int64,
        "IntStorage" => TorchDType.Int32,
        "ShortStorage" => TorchDType.Int16,
        "CharStorage" => TorchDType.Int8,
        "ByteStorage" => TorchDType.UInt8,
        "BoolStorage" => TorchDType.Bool,
        _ => null,
    };
}
