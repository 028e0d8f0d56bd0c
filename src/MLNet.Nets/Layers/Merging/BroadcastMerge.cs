using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Shared machinery of the element-wise merge layers (<see cref="Add"/>, <see cref="Multiply"/>): per-sample shapes are
/// broadcast numpy-style among themselves while the batch axis stays aligned, so each input is viewed as
/// [N, 1, …, 1, its shape] with the output's rank.
/// </summary>
internal sealed class BroadcastMerge
{
    private readonly int[][] _paddedInput;
    private readonly int[] _output;
    private readonly Tensor?[] _gradientViews;
    private ViewCache[] _inputViews;
    private ViewCache[] _gradientViewCache;

    public BroadcastMerge(IReadOnlyList<int[]> inputShapes, string layer)
    {
        if (inputShapes.Count < 2) throw new ArgumentException($"Layer '{layer}' merges at least 2 inputs but was given {inputShapes.Count}.");
        int[] shape = inputShapes[0];
        for (int i = 1; i < inputShapes.Count; i++)
        {
            if (!Broadcast.AreCompatible(shape, inputShapes[i]))
            {
                throw new ArgumentException(
                    $"Layer '{layer}' cannot merge inputs of shapes {string.Join(" and ", inputShapes.Select(s => "[N, " + string.Join(", ", s) + "]"))}: " +
                    $"[N, {string.Join(", ", shape)}] and [N, {string.Join(", ", inputShapes[i])}] do not broadcast.");
            }
            shape = Broadcast.ResultShape(shape, inputShapes[i]);
        }
        OutputShape = shape;
        _output = new int[shape.Length + 1];
        shape.CopyTo(_output, 1);
        _paddedInput = inputShapes.Select(s =>
        {
            var p = Enumerable.Repeat(1, shape.Length + 1).ToArray();
            s.CopyTo(p, p.Length - s.Length);
            return p;
        }).ToArray();
        SameShapes = inputShapes.All(s => s.AsSpan().SequenceEqual(shape));
        _gradientViews = new Tensor?[inputShapes.Count];
        _inputViews = new ViewCache[inputShapes.Count];
        _gradientViewCache = new ViewCache[inputShapes.Count];
    }

    /// <summary>The per-sample output shape.</summary>
    public int[] OutputShape { get; }

    /// <summary>True when no input is broadcast (the fast path).</summary>
    public bool SameShapes { get; }

    /// <summary>The returned gradient list, one slot per input.</summary>
    public Tensor?[] Gradients => _gradientViews;

    /// <summary>The batched output shape for batch size <paramref name="n"/> (a shared array: read it before the next call).</summary>
    public int[] BatchedOutput(int n)
    {
        _output[0] = n;
        return _output;
    }

    /// <summary>Input <paramref name="i"/> viewed with the output's rank.</summary>
    public Tensor PaddedInput(int i, Tensor input)
    {
        _paddedInput[i][0] = input.Dim(0);
        return _inputViews[i].Get(input, _paddedInput[i]);
    }

    /// <summary>The gradient buffer (from <paramref name="layer"/>, see <see cref="Layer.InputGradientBuffer"/>) of input <paramref name="i"/> in the input's own shape, and its padded view.</summary>
    public (Tensor Gradient, Tensor Padded) GradientBuffer(Layer layer, int i, Tensor input)
    {
        var g = layer.InputGradientBuffer(i, input.Shape);
        _paddedInput[i][0] = input.Dim(0);
        _gradientViews[i] = g;
        return (g, _gradientViewCache[i].Get(g, _paddedInput[i]));
    }

    /// <summary>Checks the inputs of a forward call against the built per-sample shapes.</summary>
    public static void CheckInputs(Layer layer, IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != layer.InputShapes.Count)
        {
            throw new ArgumentException($"Layer '{layer.Name}' ({layer.TypeName}) was built for {layer.InputShapes.Count} inputs but was given {inputs.Count}.");
        }
        int n = inputs[0].Rank > 0 ? inputs[0].Dim(0) : -1;
        for (int i = 0; i < inputs.Count; i++)
        {
            var t = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"Layer '{layer.Name}': input {i} is null.");
            var expected = layer.InputShapes[i];
            if (t.Rank != expected.Length + 1 || !t.Shape[1..].SequenceEqual(expected) || t.Dim(0) != n)
            {
                throw new ArgumentException(
                    $"Layer '{layer.Name}' ({layer.TypeName}) expects input {i} of shape [{n}, {string.Join(", ", expected)}] but got {t.ShapeString}.");
            }
        }
    }
}
