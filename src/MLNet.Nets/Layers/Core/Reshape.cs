using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>Gives each sample a new shape with the same number of elements: [N, ...] → [N, targetShape...] (Keras's <c>Reshape</c>).</summary>
/// <remarks>
/// The target shape excludes the batch axis; one of its dimensions may be −1 and is inferred. The output is a view of the
/// input (no copy). No parameters.
/// </remarks>
public sealed class Reshape : SingleInputLayer
{
    private readonly int[] _targetShape;
    private int[] _batchedOutput = [];
    private ViewCache _forward;
    private ViewCache _backward;
    private Tensor? _input;

    /// <summary>Creates the layer.</summary>
    /// <param name="targetShape">Per-sample output shape; at most one −1, every other dimension ≥ 1.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public Reshape(int[] targetShape, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d < 1 && d != -1))
        {
            throw new ArgumentException($"Reshape target {Tensor.FormatShape(targetShape)} may hold one −1 and otherwise positive sizes.", nameof(targetShape));
        }
        _targetShape = (int[])targetShape.Clone();
    }

    /// <summary>The per-sample target shape as given (possibly with −1).</summary>
    public IReadOnlyList<int> TargetShape => _targetShape;

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        long volume = 1;
        foreach (int d in inputShape) volume *= d;
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < _targetShape.Length; i++)
        {
            if (_targetShape[i] == -1) inferred = i;
            else known *= _targetShape[i];
        }
        var output = (int[])_targetShape.Clone();
        if (inferred >= 0)
        {
            if (known == 0 || volume % known != 0)
            {
                throw new ArgumentException($"Layer '{Name}' (Reshape): cannot reshape [{string.Join(", ", inputShape)}] ({volume} elements) to {Tensor.FormatShape(_targetShape)}.");
            }
            output[inferred] = (int)(volume / known);
        }
        else if (known != volume)
        {
            throw new ArgumentException(
                $"Layer '{Name}' (Reshape): cannot reshape [{string.Join(", ", inputShape)}] ({volume} elements) to {Tensor.FormatShape(_targetShape)} ({known} elements).");
        }
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
        return _forward.Get(input, _batchedOutput);
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (Reshape): Backward called before Forward.");
        _batchedOutput[0] = input.Dim(0);
        if (!outputGradient.HasShape(_batchedOutput))
        {
            throw new ArgumentException($"Layer '{Name}' (Reshape): output gradient has shape {outputGradient.ShapeString} but the output is {Tensor.FormatShape(_batchedOutput)}.");
        }
        if (!NeedsInputGradient) return null;
        return _backward.Get(outputGradient, input.Shape);
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).Set("target_shape", _targetShape);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Reshape FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Reshape(config.GetInts("target_shape"), config.GetStringOrNull("name"));
    }
}
