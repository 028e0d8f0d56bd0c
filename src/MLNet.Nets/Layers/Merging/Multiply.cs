using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace MLNet.Nets.Layers;

/// <summary>
/// Multiplies its inputs element-wise (Keras's <c>Multiply</c>), with numpy broadcasting of the per-sample shapes — so the
/// gate [N, C, 1, 1] of a squeeze-and-excitation block scales a feature map [N, C, H, W].
/// </summary>
/// <remarks>
/// Two or more inputs [N, ...] whose per-sample shapes broadcast together; the batch axis must agree. Output: the
/// broadcast shape. The gradient of a broadcast input is summed over the axes it was broadcast along. No parameters.
/// </remarks>
public sealed class Multiply : Layer
{
    private BroadcastMerge? _merge;
    private IReadOnlyList<Tensor>? _inputs;
    private Tensor? _output;
    private Tensor? _scratch;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public Multiply(string? name = null) : base(name) { }

    /// <inheritdoc />
    protected override int[] OnBuild(IReadOnlyList<int[]> inputShapes, Random random)
    {
        _merge = new BroadcastMerge(inputShapes, Name ?? TypeName);
        return _merge.OutputShape;
    }

    /// <inheritdoc />
    public override Tensor ForwardAll(IReadOnlyList<Tensor> inputs, bool training)
    {
        BroadcastMerge.CheckInputs(this, inputs);
        var merge = _merge!;
        _inputs = inputs;
        int n = inputs[0].Dim(0);
        var y = Tensor.Reuse(ref _output, merge.BatchedOutput(n));
        if (merge.SameShapes)
        {
            TensorPrimitives.Multiply(inputs[0].Span, inputs[1].Span, y.Span);
            for (int i = 2; i < inputs.Count; i++) TensorPrimitives.Multiply(y.Span, inputs[i].Span, y.Span);
            return y;
        }
        if (inputs.Count == 2)
        {
            Broadcast.Forward(BinaryOperation.Multiply, merge.PaddedInput(0, inputs[0]), merge.PaddedInput(1, inputs[1]), y);
            return y;
        }
        y.Span.Fill(1f);
        for (int i = 0; i < inputs.Count; i++) Broadcast.Forward(BinaryOperation.Multiply, y, merge.PaddedInput(i, inputs[i]), y);
        return y;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Tensor?> BackwardAll(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputs = _inputs ?? throw new InvalidOperationException($"Layer '{Name}' (Multiply): Backward called before Forward.");
        var merge = _merge!;
        int n = inputs[0].Dim(0);
        if (!outputGradient.HasShape(merge.BatchedOutput(n)))
        {
            throw new ArgumentException($"Layer '{Name}' (Multiply): output gradient has shape {outputGradient.ShapeString} but the output is {_output!.ShapeString}.");
        }
        if (!NeedsInputGradient)
        {
            for (int i = 0; i < inputs.Count; i++) merge.Gradients[i] = null;
            return merge.Gradients;
        }
        if (inputs.Count == 2)
        {
            var (_, d0) = merge.GradientBuffer(this, 0, inputs[0]);
            var (_, d1) = merge.GradientBuffer(this, 1, inputs[1]);
            Broadcast.Backward(BinaryOperation.Multiply, merge.PaddedInput(0, inputs[0]), merge.PaddedInput(1, inputs[1]), outputGradient, d0, d1);
            return merge.Gradients;
        }
        // dLoss/dx_i = Σ over x_i's broadcast axes of dy·Π_{j≠i} x_j.
        var scratch = Tensor.Reuse(ref _scratch, merge.BatchedOutput(n));
        for (int i = 0; i < inputs.Count; i++)
        {
            outputGradient.CopyTo(scratch);
            for (int j = 0; j < inputs.Count; j++)
            {
                if (j != i) Broadcast.Forward(BinaryOperation.Multiply, scratch, merge.PaddedInput(j, inputs[j]), scratch);
            }
            var (_, padded) = merge.GradientBuffer(this, i, inputs[i]);
            Broadcast.SumToShape(scratch, padded);
        }
        return merge.Gradients;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Multiply FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Multiply(config.GetStringOrNull("name"));
    }
}
