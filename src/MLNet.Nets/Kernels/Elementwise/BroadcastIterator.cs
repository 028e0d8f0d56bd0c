using System.Runtime.CompilerServices;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Kernels;

/// <summary>Up to <see cref="BroadcastIterator.MaxRank"/> integers on the stack.</summary>
[InlineArray(BroadcastIterator.MaxRank)]
internal struct DimBuffer
{
    private int _element0;
}

/// <summary>
/// Walks two operands broadcast to a common shape as a sequence of contiguous output rows. Dimensions are right-aligned
/// (numpy rules), size-1 dimensions dropped and neighbours with the same broadcast pattern merged, so that the inner row
/// is as long as possible and each operand's inner stride is 1 (varies) or 0 (broadcast).
/// </summary>
internal ref struct BroadcastIterator
{
    public const int MaxRank = 8;

    private DimBuffer _size;
    private DimBuffer _strideA;
    private DimBuffer _strideB;
    private DimBuffer _index;
    private readonly int _rank;

    /// <summary>Plans the walk; <paramref name="outShape"/> must be the broadcast shape of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public BroadcastIterator(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> outShape)
    {
        int rank = outShape.Length;
        if (rank > MaxRank) throw new ArgumentException($"Broadcasting supports up to {MaxRank} dimensions but the shape {Tensor.FormatShape(outShape)} has {rank}.");
        // Strides of the right-aligned operands, 0 where an operand is broadcast.
        Span<int> sa = stackalloc int[MaxRank];
        Span<int> sb = stackalloc int[MaxRank];
        int strideA = 1, strideB = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int da = d - (rank - a.Length), db = d - (rank - b.Length);
            int sizeA = da >= 0 ? a[da] : 1, sizeB = db >= 0 ? b[db] : 1;
            sa[d] = sizeA == 1 ? 0 : strideA;
            sb[d] = sizeB == 1 ? 0 : strideB;
            strideA *= sizeA;
            strideB *= sizeB;
        }
        int k = 0;
        for (int d = 0; d < rank; d++)
        {
            int size = outShape[d];
            if (size == 1) continue;
            if (k > 0 && _strideA[k - 1] == sa[d] * size && _strideB[k - 1] == sb[d] * size)
            {
                _size[k - 1] *= size;
                _strideA[k - 1] = sa[d];
                _strideB[k - 1] = sb[d];
                continue;
            }
            _size[k] = size;
            _strideA[k] = sa[d];
            _strideB[k] = sb[d];
            k++;
        }
        if (k == 0)
        {
            _size[0] = 1;
            _strideA[0] = 0;
            _strideB[0] = 0;
            k = 1;
        }
        _rank = k;
        Rows = 1;
        for (int d = 0; d < k - 1; d++) Rows *= _size[d];
        OffsetA = 0;
        OffsetB = 0;
    }

    /// <summary>Number of output rows.</summary>
    public int Rows { get; }

    /// <summary>Elements per output row.</summary>
    public readonly int InnerLength => _size[_rank - 1];

    /// <summary>a's stride along the row: 1, or 0 when a is broadcast along it.</summary>
    public readonly int InnerStrideA => _strideA[_rank - 1];

    /// <summary>b's stride along the row: 1, or 0 when b is broadcast along it.</summary>
    public readonly int InnerStrideB => _strideB[_rank - 1];

    /// <summary>Offset of the current row's first element in a.</summary>
    public int OffsetA { get; private set; }

    /// <summary>Offset of the current row's first element in b.</summary>
    public int OffsetB { get; private set; }

    /// <summary>Moves to the next output row.</summary>
    public void Advance()
    {
        for (int d = _rank - 2; d >= 0; d--)
        {
            _index[d]++;
            OffsetA += _strideA[d];
            OffsetB += _strideB[d];
            if (_index[d] < _size[d]) return;
            OffsetA -= _strideA[d] * _size[d];
            OffsetB -= _strideB[d] * _size[d];
            _index[d] = 0;
        }
    }
}
