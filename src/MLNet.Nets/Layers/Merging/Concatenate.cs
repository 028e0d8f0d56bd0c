using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Joins its inputs along one axis (Keras's <c>Concatenate</c>, PyTorch's <c>torch.cat</c>) — e.g. the branches of an
/// Inception block along the channels.
/// </summary>
/// <remarks>
/// Two or more inputs [N, ...] whose shapes agree except along <see cref="Axis"/>. The axis counts in the batched tensor:
/// 1 (default) is the channel axis of [N, C, H, W] and the feature axis of [N, F]; −1 is the last axis. The batch axis 0
/// cannot be concatenated. No parameters.
/// </remarks>
public sealed class Concatenate : Layer
{
    private IReadOnlyList<Tensor>? _inputs;
    private Tensor? _output;
    private Tensor?[] _gradients = [];
    private int[] _batchedOutput = [];
    private int _axis;

    /// <summary>Creates the layer.</summary>
    /// <param name="axis">Axis of the batched tensor to join along; default 1 (channels); negative counts from the end; not 0.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public Concatenate(int axis = 1, string? name = null) : base(name)
    {
        if (axis == 0) throw new ArgumentOutOfRangeException(nameof(axis), "Concatenate cannot join along the batch axis 0.");
        Axis = axis;
    }

    /// <summary>The axis of the batched tensor to join along, as given.</summary>
    public int Axis { get; }

    /// <inheritdoc />
    protected override int[] OnBuild(IReadOnlyList<int[]> inputShapes, Random random)
    {
        if (inputShapes.Count < 2) throw new ArgumentException($"Layer '{Name}' (Concatenate) joins at least 2 inputs but was given {inputShapes.Count}.");
        int rank = inputShapes[0].Length + 1;
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis < 1 || axis >= rank)
        {
            throw new ArgumentException($"Layer '{Name}' (Concatenate): axis {Axis} is outside inputs [N, {string.Join(", ", inputShapes[0])}] (or is the batch axis).");
        }
        int perSample = axis - 1;
        var output = (int[])inputShapes[0].Clone();
        output[perSample] = 0;
        foreach (var shape in inputShapes)
        {
            bool ok = shape.Length == rank - 1;
            for (int d = 0; ok && d < shape.Length; d++) ok = d == perSample || shape[d] == inputShapes[0][d];
            if (!ok)
            {
                throw new ArgumentException(
                    $"Layer '{Name}' (Concatenate) along axis {Axis} needs inputs that agree on every other axis but got " +
                    string.Join(", ", inputShapes.Select(s => "[N, " + string.Join(", ", s) + "]")) + ".");
            }
            output[perSample] += shape[perSample];
        }
        _axis = axis;
        _gradients = new Tensor?[inputShapes.Count];
        _batchedOutput = new int[rank];
        output.CopyTo(_batchedOutput, 1);
        return output;
    }

    /// <inheritdoc />
    public override Tensor ForwardAll(IReadOnlyList<Tensor> inputs, bool training)
    {
        BroadcastMerge.CheckInputs(this, inputs);
        _inputs = inputs;
        int n = inputs[0].Dim(0);
        _batchedOutput[0] = n;
        var y = Tensor.Reuse(ref _output, _batchedOutput);
        var (outer, inner) = Blocks(n);
        var ys = y.Span;
        int outRow = _batchedOutput[_axis] * inner;
        int at = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            int row = input.Dim(_axis) * inner;
            ReadOnlySpan<float> xs = input.Span;
            for (int o = 0; o < outer; o++) xs.Slice(o * row, row).CopyTo(ys.Slice(o * outRow + at, row));
            at += row;
        }
        return y;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Tensor?> BackwardAll(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputs = _inputs ?? throw new InvalidOperationException($"Layer '{Name}' (Concatenate): Backward called before Forward.");
        int n = inputs[0].Dim(0);
        _batchedOutput[0] = n;
        if (!outputGradient.HasShape(_batchedOutput))
        {
            throw new ArgumentException($"Layer '{Name}' (Concatenate): output gradient has shape {outputGradient.ShapeString} but the output is {Tensor.FormatShape(_batchedOutput)}.");
        }
        var (outer, inner) = Blocks(n);
        ReadOnlySpan<float> g = outputGradient.Span;
        int outRow = _batchedOutput[_axis] * inner;
        int at = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            int row = inputs[i].Dim(_axis) * inner;
            if (NeedsInputGradient)
            {
                var dx = InputGradientBuffer(i, inputs[i].Shape);
                _gradients[i] = dx;
                var ds = dx.Span;
                for (int o = 0; o < outer; o++) g.Slice(o * outRow + at, row).CopyTo(ds.Slice(o * row, row));
            }
            else
            {
                _gradients[i] = null;
            }
            at += row;
        }
        return _gradients;
    }

    /// <summary>Number of blocks before the axis and elements per unit of the axis.</summary>
    private (int Outer, int Inner) Blocks(int n)
    {
        int outer = n, inner = 1;
        for (int d = 1; d < _axis; d++) outer *= _batchedOutput[d];
        for (int d = _axis + 1; d < _batchedOutput.Length; d++) inner *= _batchedOutput[d];
        return (outer, inner);
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).Set("axis", Axis);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Concatenate FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Concatenate(config.GetInt("axis", 1), config.GetStringOrNull("name"));
    }
}
