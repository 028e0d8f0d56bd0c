using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// What global average and global max pooling share: input [N, C, H, W], output [N, C] or [N, C, 1, 1]
/// (<see cref="KeepDims"/>), no parameters, batch-sized buffers reused between calls.
/// </summary>
public abstract class GlobalPoolingLayerBase : SingleInputLayer
{
    private Tensor? _output;
    private int[] _batchOutputShape = [];
    private int[] _batchInputShape = [];
    private int _batch = -1;

    /// <summary>Creates the layer.</summary>
    /// <param name="keepDims">True keeps the spatial axes as 1×1 ([N, C, 1, 1]); default false ([N, C]).</param>
    /// <param name="name">Layer name, or null.</param>
    protected GlobalPoolingLayerBase(bool keepDims, string? name) : base(name) => KeepDims = keepDims;

    /// <summary>Whether the output keeps 1×1 spatial axes.</summary>
    public bool KeepDims { get; }

    /// <summary>Number of planes (batch × channels) of the current batch.</summary>
    protected int Planes => _batch * InputShape[0];

    /// <summary>Pixels per plane (H × W).</summary>
    protected int Pixels => InputShape[1] * InputShape[2];

    /// <inheritdoc />
    protected sealed override int[] OnBuild(int[] inputShape, Random random)
    {
        if (inputShape.Length != 3 || inputShape[0] < 1 || inputShape[1] < 1 || inputShape[2] < 1)
        {
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        }
        return KeepDims ? [inputShape[0], 1, 1] : [inputShape[0]];
    }

    /// <inheritdoc />
    public sealed override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        int n = input.Dim(0);
        if (n != _batch)
        {
            _batchOutputShape = [n, .. OutputShape];
            _batchInputShape = [n, .. InputShape];
            _batch = n;
            OnBatchSizeChanged();
        }
        var y = Tensor.Reuse(ref _output, _batchOutputShape);
        Pool(input.Span, y.Span);
        return y;
    }

    /// <inheritdoc />
    public sealed override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_batch < 0) throw new InvalidOperationException($"Layer '{Name}' ({TypeName}): Backward called before Forward.");
        if (!outputGradient.HasShape(_batchOutputShape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' ({TypeName}): output gradient must have shape {Tensor.FormatShape(_batchOutputShape)} but has {outputGradient.ShapeString}.");
        }
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, _batchInputShape);
        PoolBackward(outputGradient.Span, dx.Span);
        return dx;
    }

    /// <inheritdoc />
    public sealed override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).Set("keep_dims", KeepDims);

    /// <summary>Called when a batch of a new size arrives, before <see cref="Pool"/>; <see cref="Planes"/> is already updated.</summary>
    protected virtual void OnBatchSizeChanged() { }

    /// <summary>Reduces each of the <see cref="Planes"/> planes of <see cref="Pixels"/> values to one output.</summary>
    protected abstract void Pool(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Writes dLoss/dInput of the last <see cref="Pool"/> call.</summary>
    protected abstract void PoolBackward(ReadOnlySpan<float> dy, Span<float> dx);
}
