using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Global average pooling (Keras's <c>GlobalAveragePooling2D</c>): the mean of each channel's plane.
/// </summary>
/// <remarks>
/// Input [N, C, H, W]; output [N, C] (Keras's default), or [N, C, 1, 1] with <c>keepDims</c> (PyTorch's
/// <c>AdaptiveAvgPool2d(1)</c>). No parameters.
/// </remarks>
public sealed class GlobalAvgPool2D : SingleInputLayer
{
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[] _batchOutputShape = [];
    private int[] _batchInputShape = [];
    private int _batch = -1;

    /// <summary>Creates a global average pooling layer.</summary>
    /// <param name="keepDims">True keeps the spatial axes as 1×1 ([N, C, 1, 1]); default false ([N, C]).</param>
    /// <param name="name">Layer name, or null.</param>
    public GlobalAvgPool2D(bool keepDims = false, string? name = null) : base(name) => KeepDims = keepDims;

    /// <summary>Whether the output keeps 1×1 spatial axes.</summary>
    public bool KeepDims { get; }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        if (inputShape.Length != 3 || inputShape[0] < 1 || inputShape[1] < 1 || inputShape[2] < 1)
        {
            throw new ArgumentException($"Layer '{Name}' (GlobalAvgPool2D) takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        }
        return KeepDims ? [inputShape[0], 1, 1] : [inputShape[0]];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        int n = input.Dim(0);
        if (n != _batch)
        {
            _batchOutputShape = [n, .. OutputShape];
            _batchInputShape = [n, .. InputShape];
            _batch = n;
        }
        var y = Tensor.Reuse(ref _output, _batchOutputShape);
        GlobalPooling.AverageForward(Planes, Pixels, input.Span, y.Span);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_batch < 0) throw new InvalidOperationException($"Layer '{Name}' (GlobalAvgPool2D): Backward called before Forward.");
        if (!outputGradient.HasShape(_batchOutputShape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' (GlobalAvgPool2D): output gradient must have shape {Tensor.FormatShape(_batchOutputShape)} but has {outputGradient.ShapeString}.");
        }
        if (!NeedsInputGradient) return null;
        var dx = Tensor.Reuse(ref _inputGradient, _batchInputShape);
        GlobalPooling.AverageBackward(Planes, Pixels, outputGradient.Span, dx.Span);
        return dx;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).Set("keep_dims", KeepDims);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static GlobalAvgPool2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GlobalAvgPool2D(config.GetBool("keep_dims", false), config.GetStringOrNull("name"));
    }

    private int Planes => _batch * InputShape[0];

    private int Pixels => InputShape[1] * InputShape[2];
}
