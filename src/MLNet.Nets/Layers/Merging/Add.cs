using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace MLNet.Nets.Layers;

/// <summary>
/// Adds its inputs element-wise (Keras's <c>Add</c>; the merge of a residual connection).
/// </summary>
/// <remarks>
/// Two or more inputs [N, ...] of the same shape, or of per-sample shapes that broadcast numpy-style (e.g. [N, C, H, W]
/// and [N, C, 1, 1]); the batch axis must agree. Output: the broadcast shape. The gradient of a broadcast input is summed
/// over the axes it was broadcast along. No parameters.
/// </remarks>
public sealed class Add : Layer
{
    private BroadcastMerge? _merge;
    private IReadOnlyList<Tensor>? _inputs;
    private Tensor? _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public Add(string? name = null) : base(name) { }

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
            TensorPrimitives.Add(inputs[0].Span, inputs[1].Span, y.Span);
            for (int i = 2; i < inputs.Count; i++) TensorPrimitives.Add(y.Span, inputs[i].Span, y.Span);
            return y;
        }
        y.Span.Clear();
        for (int i = 0; i < inputs.Count; i++) Broadcast.Forward(BinaryOperation.Add, y, merge.PaddedInput(i, inputs[i]), y);
        return y;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Tensor?> BackwardAll(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputs = _inputs ?? throw new InvalidOperationException($"Layer '{Name}' (Add): Backward called before Forward.");
        var merge = _merge!;
        if (!outputGradient.HasShape(merge.BatchedOutput(inputs[0].Dim(0))))
        {
            throw new ArgumentException($"Layer '{Name}' (Add): output gradient has shape {outputGradient.ShapeString} but the output is {_output!.ShapeString}.");
        }
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!NeedsInputGradient) { merge.Gradients[i] = null; continue; }
            var (g, padded) = merge.GradientBuffer(this, i, inputs[i]);
            // Each input gets its own tensor, so that the backward pass of one branch cannot disturb the gradient of another.
            if (merge.SameShapes) outputGradient.CopyTo(g);
            else Broadcast.SumToShape(outputGradient, padded);
        }
        return merge.Gradients;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Add FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Add(config.GetStringOrNull("name"));
    }
}
