using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>A layer with exactly one input: the common case (everything but the merge layers).</summary>
public abstract class SingleInputLayer : Layer
{
    private readonly Tensor?[] _gradient = new Tensor?[1];

    /// <inheritdoc />
    protected SingleInputLayer(string? name = null) : base(name) { }

    /// <summary>The per-sample input shape.</summary>
    public int[] InputShape => InputShapes[0];

    /// <inheritdoc />
    protected sealed override int[] OnBuild(IReadOnlyList<int[]> inputShapes, Random random)
    {
        if (inputShapes.Count != 1)
        {
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes one input but was given {inputShapes.Count}.");
        }
        return OnBuild(inputShapes[0], random);
    }

    /// <summary>Checks the per-sample input shape, creates parameters, returns the per-sample output shape.</summary>
    protected abstract int[] OnBuild(int[] inputShape, Random random);

    /// <summary>Computes the output for a batch whose axis 0 is the sample.</summary>
    public abstract Tensor Forward(Tensor input, bool training);

    /// <summary>Returns dLoss/dInput (null when <see cref="Layer.NeedsInputGradient"/> is false) and sets parameter gradients.</summary>
    public abstract Tensor? Backward(Tensor outputGradient);

    /// <inheritdoc />
    public sealed override Tensor ForwardAll(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (inputs.Count != 1)
        {
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes one input but was given {inputs.Count}.");
        }
        return Forward(inputs[0], training);
    }

    /// <inheritdoc />
    public sealed override IReadOnlyList<Tensor?> BackwardAll(Tensor outputGradient)
    {
        _gradient[0] = Backward(outputGradient);
        return _gradient;
    }

    /// <summary>Throws unless <paramref name="input"/> is [N, InputShape...].</summary>
    protected void CheckInput(Tensor input)
    {
        var expected = InputShape;
        if (input.Rank != expected.Length + 1 || !input.Shape[1..].SequenceEqual(expected))
        {
            throw InputShapeError(0, input);
        }
    }
}
