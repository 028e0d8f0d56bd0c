using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Remembers the last reshaped view of a tensor so that a layer whose output is a view of its input (Flatten, Reshape)
/// does not allocate a new view object each step: layers reuse their output tensors, so the source is usually the same.
/// </summary>
internal struct ViewCache
{
    private Tensor? _source;
    private Tensor? _view;

    /// <summary>A view of <paramref name="source"/> with <paramref name="shape"/> (no copy).</summary>
    public Tensor Get(Tensor source, ReadOnlySpan<int> shape)
    {
        if (_view is not null && ReferenceEquals(_source, source) && _view.HasShape(shape)) return _view;
        _source = source;
        _view = source.Reshape(shape);
        return _view;
    }
}
