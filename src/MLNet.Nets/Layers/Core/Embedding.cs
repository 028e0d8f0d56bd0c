using MLNet.Nets.Initializers;
using MLNet.Nets.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace MLNet.Nets.Layers;

/// <summary>
/// Looks up a learned vector for each integer index: input [N, T] of indices in [0, inputDim) stored as floats →
/// output [N, T, outputDim] (any per-sample input shape works; the output appends outputDim).
/// </summary>
/// <remarks>
/// Parameter <c>weight</c> [inputDim, outputDim] (PyTorch's layout), initialised U(±0.05) as Keras does by default.
/// An index that is not an integer in range is an error naming the sample, the position and the value.
/// Indices are not differentiable: the input gradient is zero.
/// </remarks>
public sealed class Embedding : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _output;
    private int[] _batchedOutput = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="inputDim">Vocabulary size: indices run from 0 to inputDim − 1.</param>
    /// <param name="outputDim">Length of each embedding vector.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    /// <param name="embeddingsInitializer">Initializer of <c>weight</c>; default <see cref="RandomUniform"/> ±0.05.</param>
    public Embedding(int inputDim, int outputDim, string? name = null, Initializer? embeddingsInitializer = null) : base(name)
    {
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), $"inputDim must be ≥ 1 but is {inputDim}.");
        if (outputDim < 1) throw new ArgumentOutOfRangeException(nameof(outputDim), $"outputDim must be ≥ 1 but is {outputDim}.");
        InputDim = inputDim;
        OutputDim = outputDim;
        EmbeddingsInitializer = embeddingsInitializer ?? new RandomUniform();
    }

    /// <summary>Vocabulary size.</summary>
    public int InputDim { get; }

    /// <summary>Embedding length.</summary>
    public int OutputDim { get; }

    /// <summary>Initializer of the table.</summary>
    public Initializer EmbeddingsInitializer { get; }

    /// <summary>The table [inputDim, outputDim]; available after the layer is built.</summary>
    public Parameter Weight { get; private set; } = null!;

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        var weight = new Tensor(InputDim, OutputDim);
        EmbeddingsInitializer.Fill(weight, InputDim, OutputDim, random);
        Weight = AddParameter("weight", weight);
        var output = new int[inputShape.Length + 1];
        inputShape.CopyTo(output, 0);
        output[^1] = OutputDim;
        _batchedOutput = new int[output.Length + 1];
        output.CopyTo(_batchedOutput, 1);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        _input = input;
        _batchedOutput[0] = input.Dim(0);
        var y = Tensor.Reuse(ref _output, _batchedOutput);
        ReadOnlySpan<float> indices = input.Span;
        ReadOnlySpan<float> table = Weight.Value.Span;
        var ys = y.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int row = Index(indices, i, input);
            table.Slice(row * OutputDim, OutputDim).CopyTo(ys.Slice(i * OutputDim, OutputDim));
        }
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (Embedding): Backward called before Forward.");
        _batchedOutput[0] = input.Dim(0);
        if (!outputGradient.HasShape(_batchedOutput))
        {
            throw new ArgumentException($"Layer '{Name}' (Embedding): output gradient has shape {outputGradient.ShapeString} but the output is {Tensor.FormatShape(_batchedOutput)}.");
        }
        if (Weight.Trainable)
        {
            var grad = Weight.Gradient.Span;
            grad.Clear();
            ReadOnlySpan<float> indices = input.Span;
            ReadOnlySpan<float> g = outputGradient.Span;
            for (int i = 0; i < indices.Length; i++)
            {
                var dst = grad.Slice((int)indices[i] * OutputDim, OutputDim);
                TensorPrimitives.Add(dst, g.Slice(i * OutputDim, OutputDim), dst);
            }
        }
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, input.Shape);
        dx.Span.Clear();
        return dx;
    }

    private int Index(ReadOnlySpan<float> indices, int i, Tensor input)
    {
        float v = indices[i];
        int row = (int)v;
        if (row != v || row < 0 || row >= InputDim)
        {
            int perSample = input.Length / Math.Max(1, input.Dim(0));
            throw new ArgumentException(
                $"Layer '{Name}' (Embedding): sample {i / perSample}, position {i % perSample} holds {v}, which is not an integer index in [0, {InputDim}).");
        }
        return row;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig()
        .Set("name", Name).Set("input_dim", InputDim).Set("output_dim", OutputDim)
        .Set("embeddings_initializer", EmbeddingsInitializer.Name);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Embedding FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Embedding(config.GetInt("input_dim"), config.GetInt("output_dim"), config.GetStringOrNull("name"),
            config.Has("embeddings_initializer") ? Initializer.FromName(config.GetString("embeddings_initializer")) : null);
    }
}
