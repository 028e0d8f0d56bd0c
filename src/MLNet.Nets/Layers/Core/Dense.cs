using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// A fully connected layer: y = f(x·Wᵀ + b), PyTorch's <c>nn.Linear</c> followed by an optional fused activation
/// (Keras's <c>Dense</c>).
/// </summary>
/// <remarks>
/// <para>Input [N, in]; output [N, units]. For images or sequences put a <see cref="Flatten"/> first.</para>
/// <para>Parameters (PyTorch layout and names): <c>weight</c> [units, in], <c>bias</c> [units] (absent when
/// <c>useBias</c> is false). Defaults as in Keras: Glorot-uniform weight, zero bias.</para>
/// <para>The activation may be any <see cref="Layers.Activation"/>, including <see cref="Activation.Softmax"/> over the
/// units; LeakyReLU and ELU use their default α (0.01, 1.0) — use an <see cref="ActivationLayer"/> for another α.</para>
/// </remarks>
public sealed class Dense : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _preActivation;
    private Tensor? _output;
    private Tensor? _preActivationGradient;

    /// <summary>Creates a dense layer.</summary>
    /// <param name="units">Number of outputs (≥ 1).</param>
    /// <param name="activation">Fused activation applied to x·Wᵀ + b; default <see cref="Activation.Linear"/>.</param>
    /// <param name="useBias">Whether to add the bias vector; default true.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    /// <param name="kernelInitializer">Initializer of <c>weight</c>; default <see cref="Initializer.GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Initializer of <c>bias</c>; default <see cref="Initializer.Zeros"/>.</param>
    public Dense(int units, Activation activation = Activation.Linear, bool useBias = true, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null) : base(name)
    {
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), $"Dense needs at least 1 unit but got {units}.");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), $"Unknown activation {activation}.");
        Units = units;
        Activation = activation;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? Initializer.GlorotUniform;
        BiasInitializer = biasInitializer ?? Initializer.Zeros;
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>The fused activation.</summary>
    public Activation Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Initializer of the weight.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Initializer of the bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Number of inputs per sample (available after the layer is built).</summary>
    public int InputUnits => InputShape[0];

    /// <summary>The weight [units, in]; available after the layer is built.</summary>
    public Parameter Weight { get; private set; } = null!;

    /// <summary>The bias [units], or null when <see cref="UseBias"/> is false; available after the layer is built.</summary>
    public Parameter? Bias { get; private set; }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        if (inputShape.Length != 1)
        {
            throw new ArgumentException(
                $"Layer '{Name}' (Dense) takes input [N, features] but its input is [N, {string.Join(", ", inputShape)}]; " +
                "put a Flatten layer before it.");
        }
        int inputs = inputShape[0];
        if (inputs < 1) throw new ArgumentException($"Layer '{Name}' (Dense) needs at least one input feature.");
        var weight = new Tensor(Units, inputs);
        KernelInitializer.Fill(weight, inputs, Units, random);
        Weight = AddParameter("weight", weight);
        if (UseBias)
        {
            var bias = new Tensor(Units);
            BiasInitializer.Fill(bias, inputs, Units, random);
            Bias = AddParameter("bias", bias);
        }
        return [Units];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        int n = input.Dim(0), inputs = InputUnits;
        _input = input;
        var z = Tensor.Reuse(ref _preActivation, n, Units);
        Gemm.Sgemm(false, true, n, Units, inputs, 1f, input.Span, inputs, Weight.Value.Span, inputs, 0f, z.Span, Units);
        if (Bias is not null)
        {
            var b = Bias.Value.Span;
            var zs = z.Span;
            for (int r = 0; r < n; r++)
            {
                var row = zs.Slice(r * Units, Units);
                TensorPrimitives.Add(row, b, row);
            }
        }
        if (Activation == Activation.Linear) return z;
        var y = Tensor.Reuse(ref _output, n, Units);
        if (Activation == Activation.Softmax) Softmax.Forward(z.Span, y.Span, n, Units);
        else Activations.Forward(Activation, z.Span, y.Span);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (Dense): Backward called before Forward.");
        int n = input.Dim(0), inputs = InputUnits;
        if (!outputGradient.HasShape(n, Units))
        {
            throw new ArgumentException(
                $"Layer '{Name}' (Dense): output gradient must have shape [{n}, {Units}] but has {outputGradient.ShapeString}.");
        }

        Tensor dz;
        if (Activation == Activation.Linear)
        {
            dz = outputGradient;
        }
        else
        {
            dz = Tensor.Reuse(ref _preActivationGradient, n, Units);
            if (Activation == Activation.Softmax) Softmax.Backward(_output!.Span, outputGradient.Span, dz.Span, n, Units);
            else Activations.Backward(Activation, _preActivation!.Span, _output!.Span, outputGradient.Span, dz.Span);
        }

        if (Weight.Trainable)
        {
            Gemm.Sgemm(true, false, Units, inputs, n, 1f, dz.Span, Units, input.Span, inputs, 0f, Weight.Gradient.Span, inputs);
        }
        if (Bias is { Trainable: true })
        {
            var db = Bias.Gradient.Span;
            db.Clear();
            var dzs = dz.Span;
            for (int r = 0; r < n; r++) TensorPrimitives.Add(db, dzs.Slice(r * Units, Units), db);
        }
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, n, inputs);
        Gemm.Sgemm(false, false, n, inputs, Units, 1f, dz.Span, Units, Weight.Value.Span, inputs, 0f, dx.Span, inputs);
        return dx;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig()
        .Set("name", Name)
        .Set("units", Units)
        .SetEnum("activation", Activation)
        .Set("use_bias", UseBias)
        .Set("kernel_initializer", KernelInitializer.Name)
        .Set("bias_initializer", BiasInitializer.Name);

    /// <summary>Rebuilds a dense layer from <see cref="GetConfig"/>'s output.</summary>
    public static Dense FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Dense(
            config.GetInt("units"),
            config.Has("activation") ? config.GetEnum<Activation>("activation") : Activation.Linear,
            config.GetBool("use_bias", true),
            config.GetStringOrNull("name"),
            config.Has("kernel_initializer") ? Initializer.FromName(config.GetString("kernel_initializer")) : null,
            config.Has("bias_initializer") ? Initializer.FromName(config.GetString("bias_initializer")) : null);
    }
}
