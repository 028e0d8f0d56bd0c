using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Batch normalization over the channel axis (axis 1 of the batched input): [N, C, H, W] images, [N, C, L] sequences
/// or [N, F] features — PyTorch's <c>BatchNorm1d</c>/<c>BatchNorm2d</c>.
/// </summary>
/// <remarks>
/// <para>y = γ·(x − μ)/√(σ² + ε) + β per channel. Training (<c>ForwardAll(..., training: true)</c> on a trainable layer)
/// uses the batch statistics and updates running_mean and running_var as running = (1 − momentum)·running + momentum·batch
/// with the unbiased batch variance — PyTorch's convention; Keras's momentum 0.99 is PyTorch's 0.1.
/// Inference uses the running statistics.</para>
/// <para>A frozen layer (<see cref="Layer.Trainable"/> false) always runs in inference mode, even while the rest of the
/// model trains, as in Keras — the usual setting for fine-tuning a pretrained network.</para>
/// <para>Parameters <c>weight</c> (γ, init 1) and <c>bias</c> (β, init 0), [C]; buffers <c>running_mean</c> (init 0) and
/// <c>running_var</c> (init 1), [C] — PyTorch's state-dict names.</para>
/// </remarks>
public sealed class BatchNormalization : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _output;
    private float[] _saveMean = [];
    private float[] _saveInvStd = [];
    private bool _lastWasTraining;

    /// <summary>Creates the layer.</summary>
    /// <param name="epsilon">Added to the variance before the square root; default 1e-5 (PyTorch).</param>
    /// <param name="momentum">Running-statistics momentum in PyTorch's convention, in [0, 1]; default 0.1.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    public BatchNormalization(float epsilon = 1e-5f, float momentum = 0.1f, string? name = null) : base(name)
    {
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be positive but is {epsilon}.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"momentum must be in [0, 1] but is {momentum}.");
        Epsilon = epsilon;
        Momentum = momentum;
    }

    /// <summary>ε added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>Running-statistics momentum (PyTorch convention), in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside [0, 1].</exception>
    public float Momentum
    {
        get => _momentum;
        set => _momentum = value >= 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"momentum must be in [0, 1] but is {value}.");
    }
    private float _momentum;

    /// <summary>Number of channels C (available after the layer is built).</summary>
    public int Channels => InputShape[0];

    /// <summary>γ [C]; available after the layer is built.</summary>
    public Parameter Weight { get; private set; } = null!;

    /// <summary>β [C]; available after the layer is built.</summary>
    public Parameter Bias { get; private set; } = null!;

    /// <summary>Running mean [C]; available after the layer is built.</summary>
    public Tensor RunningMean { get; private set; } = null!;

    /// <summary>Running (unbiased) variance [C]; available after the layer is built.</summary>
    public Tensor RunningVar { get; private set; } = null!;

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentException(
                $"Layer '{Name}' (BatchNormalization) needs input [N, C, ...] or [N, F] with positive sizes but got [N, {string.Join(", ", inputShape)}].");
        }
        int c = inputShape[0];
        Weight = AddParameter("weight", Tensor.Full(1f, c));
        Bias = AddParameter("bias", new Tensor(c));
        RunningMean = AddBuffer("running_mean", new Tensor(c));
        RunningVar = AddBuffer("running_var", Tensor.Full(1f, c));
        _saveMean = new float[c];
        _saveInvStd = new float[c];
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        _input = input;
        var y = Tensor.Reuse(ref _output, input.Shape);
        var (n, c, s) = Split(input);
        _lastWasTraining = training && Trainable;
        if (_lastWasTraining)
        {
            if ((long)n * s < 2)
            {
                throw new ArgumentException(
                    $"Layer '{Name}' (BatchNormalization) needs more than one value per channel in training but got input {input.ShapeString}; " +
                    "use a batch of at least 2 samples.");
            }
            BatchNorm.ForwardTraining(input.Span, y.Span, n, c, s, Weight.Value.Span, Bias.Value.Span, Epsilon, Momentum,
                RunningMean.Span, RunningVar.Span, _saveMean, _saveInvStd);
        }
        else
        {
            BatchNorm.ForwardInference(input.Span, y.Span, n, c, s, Weight.Value.Span, Bias.Value.Span, RunningMean.Span, RunningVar.Span, Epsilon);
        }
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (BatchNormalization): Backward called before Forward.");
        if (!outputGradient.HasShape(input.Shape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' (BatchNormalization): output gradient has shape {outputGradient.ShapeString} but the output is {input.ShapeString}.");
        }
        var (n, c, s) = Split(input);
        var dx = NeedsInputGradient ? InputGradientBuffer(0, input.Shape) : null;
        var dxSpan = dx is null ? Span<float>.Empty : dx.Span;
        var dGamma = Weight.Trainable ? Weight.Gradient.Span : Span<float>.Empty;
        var dBeta = Bias.Trainable ? Bias.Gradient.Span : Span<float>.Empty;
        if (_lastWasTraining)
        {
            BatchNorm.BackwardTraining(input.Span, outputGradient.Span, dxSpan, n, c, s, Weight.Value.Span, _saveMean, _saveInvStd, dGamma, dBeta);
        }
        else
        {
            BatchNorm.BackwardInference(input.Span, outputGradient.Span, dxSpan, n, c, s, Weight.Value.Span, RunningMean.Span, RunningVar.Span,
                Epsilon, dGamma, dBeta);
        }
        return dx;
    }

    private static (int N, int C, int S) Split(Tensor input)
    {
        int n = input.Dim(0), c = input.Dim(1);
        return (n, c, n == 0 ? 1 : input.Length / (n * c));
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).Set("epsilon", Epsilon).Set("momentum", Momentum);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static BatchNormalization FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new BatchNormalization(config.GetFloat("epsilon", 1e-5f), config.GetFloat("momentum", 0.1f), config.GetStringOrNull("name"));
    }
}
