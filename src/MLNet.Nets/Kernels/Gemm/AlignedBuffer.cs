using System.Runtime.InteropServices;

namespace MLNet.Nets.Kernels;

/// <summary>A growable, 64-byte aligned native float buffer that packers reuse from call to call.</summary>
/// <remarks>Native memory keeps the packed panels out of the GC heap (no pinning, no steady-state allocation).</remarks>
internal sealed unsafe class AlignedBuffer
{
    private float* _pointer;
    private long _capacity;

    /// <summary>A pointer to at least <paramref name="floats"/> floats; old contents are not kept when it grows.</summary>
    public float* Get(long floats)
    {
        if (floats > _capacity)
        {
            if (_pointer != null) NativeMemory.AlignedFree(_pointer);
            _pointer = null;
            // Grow geometrically so that a run of slightly larger problems does not reallocate every call.
            long capacity = Math.Max(floats, _capacity + _capacity / 2);
            _pointer = (float*)NativeMemory.AlignedAlloc((nuint)(capacity * sizeof(float)), 64);
            _capacity = capacity;
        }
        return _pointer;
    }

    ~AlignedBuffer()
    {
        if (_pointer != null) NativeMemory.AlignedFree(_pointer);
    }
}
