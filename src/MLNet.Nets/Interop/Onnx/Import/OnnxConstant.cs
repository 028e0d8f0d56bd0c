using System.Buffers.Binary;
using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Interop.Onnx;

/// <summary>
/// A constant of the graph being imported (initializer or Constant node): its dims and its values as floats (float
/// types) or int64s (integer and bool types), converted from a <see cref="TensorProto"/> with every size checked before
/// anything is allocated.
/// </summary>
internal sealed class OnnxConstant
{
    private OnnxConstant(long[] dims, float[]? floats, long[]? longs)
    {
        Dims = dims;
        Floats = floats;
        Longs = longs;
    }

    public long[] Dims { get; }

    public float[]? Floats { get; }

    public long[]? Longs { get; }

    public int Length => Floats?.Length ?? Longs!.Length;

    public static OnnxConstant OfFloats(long[] dims, float[] values) => new(dims, values, null);

    public static OnnxConstant OfLongs(long[] dims, long[] values) => new(dims, null, values);

    /// <summary>The values as floats.</summary>
    public float[] AsFloats() => Floats ?? Longs!.Select(v => (float)v).ToArray();

    /// <summary>The values as int64s; float values must be whole numbers.</summary>
    public long[] AsLongs(string where)
    {
        if (Longs is not null) return Longs;
        var result = new long[Floats!.Length];
        for (int i = 0; i < result.Length; i++)
        {
            float v = Floats[i];
            if (v != MathF.Round(v)) throw new InvalidDataException($"{where} must hold integers but has {v}.");
            result[i] = (long)v;
        }
        return result;
    }

    /// <summary>A tensor of the values with shape <see cref="Dims"/>.</summary>
    public Tensor ToTensor() => new(AsFloats(), Dims.Select(d => (int)d).ToArray());

    /// <summary>Converts a tensor, rejecting external data, unsupported types and sizes beyond <paramref name="maxElements"/>.</summary>
    public static OnnxConstant From(TensorProto t, string where, long maxElements)
    {
        if (t.IsExternal || t.ExternalData.Count > 0)
        {
            throw new InvalidDataException($"{where} keeps its data in an external file, which ONNX import does not support; " +
                "save the model with its weights inside the .onnx file.");
        }
        long volume = 1;
        foreach (long d in t.Dims)
        {
            if (d < 0 || d > int.MaxValue) throw new InvalidDataException($"{where} has invalid dims [{string.Join(", ", t.Dims)}].");
            volume *= d;
            if (volume > maxElements)
            {
                throw new InvalidDataException($"{where} has dims [{string.Join(", ", t.Dims)}], more than the {maxElements} elements allowed.");
            }
        }
        if (t.Dims.Count > 8) throw new InvalidDataException($"{where} has rank {t.Dims.Count}; at most 8 is supported.");
        int n = (int)volume;
        long[] dims = [.. t.Dims];
        int size = t.DataType switch
        {
            TensorDataType.Float or TensorDataType.Int32 or TensorDataType.UInt32 => 4,
            TensorDataType.Double or TensorDataType.Int64 or TensorDataType.UInt64 => 8,
            TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Int16 or TensorDataType.UInt16 => 2,
            TensorDataType.Int8 or TensorDataType.UInt8 or TensorDataType.Bool => 1,
            _ => throw new InvalidDataException($"{where} has element type {t.DataType}, which ONNX import does not support."),
        };
        bool isFloat = t.DataType is TensorDataType.Float or TensorDataType.Double or TensorDataType.Float16 or TensorDataType.BFloat16;
        if (t.RawData is { } raw)
        {
            if (raw.Length != volume * size)
            {
                throw new InvalidDataException($"{where}: dims [{string.Join(", ", dims)}] of {t.DataType} need {volume * size} bytes but the raw data has {raw.Length}.");
            }
            var b = raw.Span;
            if (isFloat)
            {
                var f = new float[n];
                for (int i = 0; i < n; i++)
                {
                    f[i] = t.DataType switch
                    {
                        TensorDataType.Float => BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]),
                        TensorDataType.Double => (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]),
                        TensorDataType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]),
                        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]) << 16),
                    };
                }
                return OfFloats(dims, f);
            }
            var l = new long[n];
            for (int i = 0; i < n; i++)
            {
                l[i] = t.DataType switch
                {
                    TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]),
                    TensorDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b[(4 * i)..]),
                    TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]),
                    TensorDataType.UInt64 => (long)BinaryPrimitives.ReadUInt64LittleEndian(b[(8 * i)..]),
                    TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b[(2 * i)..]),
                    TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]),
                    TensorDataType.Int8 => (sbyte)b[i],
                    _ => b[i],
                };
            }
            return OfLongs(dims, l);
        }
        switch (t.DataType)
        {
            case TensorDataType.Float:
                Count(t.FloatData.Count, n, where, "float_data");
                return OfFloats(dims, [.. t.FloatData]);
            case TensorDataType.Double:
                Count(t.DoubleData.Count, n, where, "double_data");
                return OfFloats(dims, t.DoubleData.Select(v => (float)v).ToArray());
            case TensorDataType.Float16:
                Count(t.Int32Data.Count, n, where, "int32_data");
                return OfFloats(dims, t.Int32Data.Select(v => (float)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray());
            case TensorDataType.BFloat16:
                Count(t.Int32Data.Count, n, where, "int32_data");
                return OfFloats(dims, t.Int32Data.Select(v => BitConverter.Int32BitsToSingle((v & 0xffff) << 16)).ToArray());
            case TensorDataType.Int64:
                Count(t.Int64Data.Count, n, where, "int64_data");
                return OfLongs(dims, [.. t.Int64Data]);
            case TensorDataType.UInt32 or TensorDataType.UInt64:
                Count(t.UInt64Data.Count, n, where, "uint64_data");
                return OfLongs(dims, t.UInt64Data.Select(v => (long)v).ToArray());
            default:
                Count(t.Int32Data.Count, n, where, "int32_data");
                return OfLongs(dims, t.Int32Data.Select(v => (long)v).ToArray());
        }
    }

    private static void Count(int count, int volume, string where, string field)
    {
        if (count != volume) throw new InvalidDataException($"{where}: its dims need {volume} values but {field} holds {count}.");
    }
}
