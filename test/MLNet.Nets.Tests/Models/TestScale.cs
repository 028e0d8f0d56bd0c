using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Models;

/// <summary>y = w ⊙ x + b per feature: an allocation-free test layer, so allocation tests measure only the training loop.</summary>
public sealed class TestScale : SingleInputLayer
{
    private Tensor? _input, _output, _inputGradient;
    private Parameter _w = null!, _b = null!;

    public TestScale(string? name = null) : base(name) { }

    /// <summary>Differs from the class name, to test that the registry finds overridden type names.</summary>
    public override string TypeName => "Scale";

    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        _w = AddParameter("weight", Tensor.RandomUniform(random, 0.5f, 1.5f, inputShape[0]));
        _b = AddParameter("bias", new Tensor(inputShape[0]));
        return inputShape;
    }

    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        _input = input;
        var y = Tensor.Reuse(ref _output, input.Shape);
        int f = InputShape[0];
        for (int i = 0; i < y.Length; i++) y[i] = _w.Value[i % f] * input[i] + _b.Value[i % f];
        return y;
    }

    public override Tensor? Backward(Tensor outputGradient)
    {
        int f = InputShape[0];
        _w.Gradient.Fill(0);
        _b.Gradient.Fill(0);
        for (int i = 0; i < outputGradient.Length; i++)
        {
            _w.Gradient[i % f] += outputGradient[i] * _input![i];
            _b.Gradient[i % f] += outputGradient[i];
        }
        if (!NeedsInputGradient) return null;
        var dx = Tensor.Reuse(ref _inputGradient, outputGradient.Shape);
        for (int i = 0; i < dx.Length; i++) dx[i] = outputGradient[i] * _w.Value[i % f];
        return dx;
    }

    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name);

    public static TestScale FromConfig(LayerConfig config) => new(config.GetStringOrNull("name"));
}
