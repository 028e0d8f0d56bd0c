using MLNet.Nets.Tensors;

namespace MLNet.Nets.Models;

/// <summary>
/// The input-gradient buffers of a model's layers during one backward pass. A gradient lives from the layer that makes it
/// to the layer below that consumes it, so the model gives each buffer back as soon as no pending gradient refers to it
/// and the next layer reuses it: peak memory holds the few gradients in flight, not one per layer.
/// </summary>
/// <remarks>
/// Buffers are reused by exact length. References are counted per storage array, so a layer that passes a gradient
/// through (Add) or returns a view of it (Flatten, Reshape) keeps it alive for every slot that holds it. At the start
/// and end of each backward pass every buffer is free again.
/// </remarks>
internal sealed class GradientPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly Dictionary<float[], int> _references = new(ReferenceEqualityComparer.Instance);

    /// <summary>A buffer of <paramref name="shape"/> with unspecified contents, owned by the pool.</summary>
    public Tensor Rent(ReadOnlySpan<int> shape)
    {
        long volume = 1;
        foreach (int d in shape) volume *= d;
        if (volume == 0 || volume > Array.MaxLength) return new Tensor(shape);
        int length = (int)volume;
        var array = _free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new float[length];
        _references[array] = 0;
        return new Tensor(array, shape);
    }

    /// <summary>Counts one more pending use of <paramref name="gradient"/>'s storage, if the pool owns it.</summary>
    public void AddReference(Tensor gradient)
    {
        if (_references.TryGetValue(gradient.Data, out int count)) _references[gradient.Data] = count + 1;
    }

    /// <summary>Ends one pending use of <paramref name="gradient"/>'s storage and frees it once none is left.</summary>
    public void Release(Tensor gradient)
    {
        if (!_references.TryGetValue(gradient.Data, out int count)) return;
        if (count > 1)
        {
            _references[gradient.Data] = count - 1;
            return;
        }
        _references.Remove(gradient.Data);
        Free(gradient.Data);
    }

    /// <summary>Frees <paramref name="gradient"/>'s storage if no pending use refers to it (it was summed elsewhere).</summary>
    public void FreeIfUnreferenced(Tensor gradient)
    {
        if (!_references.TryGetValue(gradient.Data, out int count) || count > 0) return;
        _references.Remove(gradient.Data);
        Free(gradient.Data);
    }

    /// <summary>Frees every buffer (between backward passes nothing refers to them).</summary>
    public void ReleaseAll()
    {
        foreach (var array in _references.Keys) Free(array);
        _references.Clear();
    }

    private void Free(float[] array)
    {
        if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<float[]>();
        stack.Push(array);
    }
}
