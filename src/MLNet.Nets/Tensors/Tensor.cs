using System.Runtime.CompilerServices;
using System.Text;

namespace MLNet.Nets.Tensors;

/// <summary>
/// A dense, row-major tensor of <see cref="float"/> values. Images use the NCHW layout
/// (batch, channels, height, width), as ONNX and PyTorch do.
/// </summary>
/// <remarks>
/// A tensor is a window (<see cref="Offset"/>, <see cref="Length"/>) on a <see cref="float"/> array, so
/// <see cref="Reshape(ReadOnlySpan{int})"/> and <see cref="Slice(int, int)"/> make views without copying.
/// Layers keep their output and gradient tensors between calls and reuse them with
/// <see cref="Reuse(ref Tensor?, ReadOnlySpan{int})"/>, so a training step in steady state allocates nothing.
/// </remarks>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">The dimensions, outermost first; each must be ≥ 0.</param>
    public Tensor(params ReadOnlySpan<int> shape)
    {
        _shape = shape.ToArray();
        Length = CheckedVolume(_shape);
        Data = Length == 0 ? [] : new float[Length];
    }

    /// <summary>Wraps <paramref name="data"/> (no copy) as a tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">The shape's volume differs from <c>data.Length</c>.</exception>
    public Tensor(float[] data, params ReadOnlySpan<int> shape) : this(data, 0, shape)
    {
        if (data.Length != Length)
        {
            throw new ArgumentException(
                $"Data has {data.Length} elements but shape {FormatShape(shape)} needs {Length}.", nameof(data));
        }
    }

    private Tensor(float[] data, int offset, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        _shape = shape.ToArray();
        Length = CheckedVolume(_shape);
        if (offset < 0 || offset + Length > data.Length)
        {
            throw new ArgumentException(
                $"A view of shape {FormatShape(shape)} at offset {offset} does not fit in {data.Length} elements.");
        }
        Data = data;
        Offset = offset;
    }

    /// <summary>The storage array; the tensor occupies <c>Data[Offset .. Offset + Length]</c>.</summary>
    public float[] Data { get; }

    /// <summary>Index of the first element in <see cref="Data"/>.</summary>
    public int Offset { get; }

    /// <summary>Number of elements (the product of the dimensions).</summary>
    public int Length { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The elements, in row-major order.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Data, Offset, Length);
    }

    /// <summary>The size of dimension <paramref name="axis"/>; a negative axis counts from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? axis + _shape.Length : axis];

    /// <summary>Element <paramref name="index"/> in row-major order.</summary>
    public ref float this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndex(index);
            return ref Data[Offset + index];
        }
    }

    /// <summary>Element at (<paramref name="i"/>, <paramref name="j"/>) of a rank-2 tensor.</summary>
    public ref float this[int i, int j] => ref this[FlatIndex([i, j])];

    /// <summary>Element at (<paramref name="i"/>, <paramref name="j"/>, <paramref name="k"/>) of a rank-3 tensor.</summary>
    public ref float this[int i, int j, int k] => ref this[FlatIndex([i, j, k])];

    /// <summary>Element at (n, c, h, w) of a rank-4 tensor.</summary>
    public ref float this[int n, int c, int h, int w] => ref this[FlatIndex([n, c, h, w])];

    /// <summary>The row-major flat index of a multi-dimensional index, with bounds checks.</summary>
    public int FlatIndex(params ReadOnlySpan<int> index)
    {
        if (index.Length != _shape.Length)
        {
            throw new ArgumentException($"Index has {index.Length} coordinates but the tensor has rank {Rank}.");
        }
        int flat = 0;
        for (int d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
            {
                throw new IndexOutOfRangeException(
                    $"Index {index[d]} is out of range for axis {d} of size {_shape[d]} (shape {ShapeString}).");
            }
            flat = flat * _shape[d] + index[d];
        }
        return flat;
    }

    /// <summary>The shape written as <c>[2, 3, 4]</c>.</summary>
    public string ShapeString => FormatShape(_shape);

    /// <summary>
    /// A view with a new shape over the same elements (no copy). One dimension may be -1 and is inferred.
    /// </summary>
    /// <exception cref="ArgumentException">The volumes differ or more than one dimension is -1.</exception>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        Span<int> resolved = shape.Length <= 8 ? stackalloc int[shape.Length] : new int[shape.Length];
        shape.CopyTo(resolved);
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < resolved.Length; d++)
        {
            if (resolved[d] == -1)
            {
                if (inferred >= 0) throw new ArgumentException($"Reshape to {FormatShape(shape)}: only one dimension may be -1.");
                inferred = d;
            }
            else if (resolved[d] < 0)
            {
                throw new ArgumentException($"Reshape to {FormatShape(shape)}: dimension {d} is negative.");
            }
            else
            {
                known *= resolved[d];
            }
        }
        if (inferred >= 0)
        {
            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {ShapeString} ({Length} elements) to {FormatShape(shape)}.");
            }
            resolved[inferred] = (int)(Length / known);
            known = Length;
        }
        if (known != Length)
        {
            throw new ArgumentException($"Cannot reshape {ShapeString} ({Length} elements) to {FormatShape(shape)} ({known} elements).");
        }
        return new Tensor(Data, Offset, resolved);
    }

    /// <summary>A view of items <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> along the first axis.</summary>
    public Tensor Slice(int start, int count)
    {
        if (Rank == 0) throw new InvalidOperationException("Cannot slice a scalar tensor.");
        if (start < 0 || count < 0 || start + count > _shape[0])
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Slice [{start}, {start + count}) is outside axis 0 of size {_shape[0]} (shape {ShapeString}).");
        }
        int inner = _shape[0] == 0 ? 0 : Length / _shape[0];
        Span<int> shape = stackalloc int[_shape.Length];
        _shape.CopyTo(shape);
        shape[0] = count;
        return new Tensor(Data, Offset + start * inner, shape);
    }

    /// <summary>A deep copy with its own storage.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same length.</summary>
    public void CopyTo(Tensor destination)
    {
        if (destination.Length != Length)
        {
            throw new ArgumentException($"Cannot copy {ShapeString} into {destination.ShapeString}.", nameof(destination));
        }
        Span.CopyTo(destination.Span);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>True when the shapes are equal.</summary>
    public bool HasShape(params ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>Throws a clear error unless the tensor has the given shape.</summary>
    /// <param name="shape">The expected shape.</param>
    /// <param name="what">Names the tensor in the message (e.g. "input of conv1").</param>
    public void CheckShape(ReadOnlySpan<int> shape, string what)
    {
        if (!HasShape(shape))
        {
            throw new ArgumentException($"{what} must have shape {FormatShape(shape)} but has {ShapeString}.");
        }
    }

    /// <summary>
    /// Returns <paramref name="buffer"/> when it already has <paramref name="shape"/>, otherwise replaces it with a new
    /// zero-filled tensor of that shape. The contents of a reused buffer are left as they were.
    /// </summary>
    public static Tensor Reuse(ref Tensor? buffer, params ReadOnlySpan<int> shape)
    {
        if (buffer is null || !buffer.HasShape(shape))
        {
            buffer = new Tensor(shape);
        }
        return buffer;
    }

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        var t = new Tensor(shape);
        t.Fill(value);
        return t;
    }

    /// <summary>A tensor with normally distributed elements (Box–Muller), reproducible from <paramref name="random"/>.</summary>
    public static Tensor RandomNormal(Random random, float mean, float std, params ReadOnlySpan<int> shape)
    {
        var t = new Tensor(shape);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            span[i] = mean + std * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return t;
    }

    /// <summary>A tensor with elements uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor RandomUniform(Random random, float low, float high, params ReadOnlySpan<int> shape)
    {
        var t = new Tensor(shape);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = low + (high - low) * (float)random.NextDouble();
        }
        return t;
    }

    /// <summary>Writes a shape as <c>[2, 3, 4]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeString}";

    private static int CheckedVolume(ReadOnlySpan<int> shape)
    {
        long volume = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension at axis {d}.");
            volume *= shape[d];
            if (volume > Array.MaxLength) throw new ArgumentException($"Shape {FormatShape(shape)} has more elements than an array can hold.");
        }
        return (int)volume;
    }

    private void ThrowIndex(int index) =>
        throw new IndexOutOfRangeException($"Flat index {index} is out of range for a tensor of {Length} elements (shape {ShapeString}).");
}
