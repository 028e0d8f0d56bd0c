using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Models;

/// <summary>A minimal two-input merge layer for graph tests (element-wise sum), independent of the product's merge layers.</summary>
public sealed class TestAdd : Layer
{
    private Tensor? _output;
    private readonly Tensor?[] _grads = new Tensor?[2];

    public TestAdd(string? name = null) : base(name) { }

    protected override int[] OnBuild(IReadOnlyList<int[]> inputShapes, Random random)
    {
        if (inputShapes.Count != 2 || !inputShapes[0].SequenceEqual(inputShapes[1])) throw new ArgumentException("TestAdd takes two equal shapes.");
        return inputShapes[0];
    }

    public override Tensor ForwardAll(IReadOnlyList<Tensor> inputs, bool training)
    {
        var y = Tensor.Reuse(ref _output, inputs[0].Shape);
        for (int i = 0; i < y.Length; i++) y[i] = inputs[0][i] + inputs[1][i];
        return y;
    }

    public override IReadOnlyList<Tensor?> BackwardAll(Tensor outputGradient)
    {
        _grads[0] = NeedsInputGradient ? outputGradient : null;
        _grads[1] = NeedsInputGradient ? outputGradient : null;
        return _grads;
    }

    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name);

    public static TestAdd FromConfig(LayerConfig config) => new(config.GetStringOrNull("name"));
}
