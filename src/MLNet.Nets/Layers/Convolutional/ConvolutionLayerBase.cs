using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// What the convolution layers share: kernel size, stride, dilation, padding (<see cref="Layers.Padding"/> or explicit
/// per-side pixels), a weight and optional bias in PyTorch's layout, and a fused element-wise activation.
/// </summary>
/// <remarks>
/// Subclasses say how a per-sample input shape becomes a <see cref="ConvGeometry"/> and which kernels compute the
/// passes; this class owns the buffers (reused between calls), the activation and the gradient bookkeeping.
/// Weights and biases default to PyTorch's initialization, U(±1/√fan_in) with fan_in = (C/groups)·kH·kW.
/// </remarks>
public abstract class ConvolutionLayerBase : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _preActivation;
    private Tensor? _output;
    private Tensor? _preActivationGradient;
    private ConvGeometry _geometry;
    private int[] _batchOutputShape = [];

    /// <summary>Checks and stores the shared hyper-parameters.</summary>
    /// <param name="kernelHeight">Kernel height (≥ 1).</param>
    /// <param name="kernelWidth">Kernel width (≥ 1).</param>
    /// <param name="strideHeight">Vertical stride (≥ 1).</param>
    /// <param name="strideWidth">Horizontal stride (≥ 1).</param>
    /// <param name="padding">Valid or Same; ignored when <paramref name="explicitPadding"/> is given.</param>
    /// <param name="explicitPadding">Pixels of zero padding (top, left, bottom, right), PyTorch style, or null.</param>
    /// <param name="dilationHeight">Vertical dilation (≥ 1).</param>
    /// <param name="dilationWidth">Horizontal dilation (≥ 1).</param>
    /// <param name="useBias">Whether a bias is added.</param>
    /// <param name="activation">Fused element-wise activation (not Softmax).</param>
    /// <param name="kernelInitializer">Weight initializer; null for PyTorch's default.</param>
    /// <param name="biasInitializer">Bias initializer; null for PyTorch's default.</param>
    /// <param name="name">Layer name, or null.</param>
    protected ConvolutionLayerBase(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding,
        (int Top, int Left, int Bottom, int Right)? explicitPadding, int dilationHeight, int dilationWidth, bool useBias,
        Activation activation, Initializer? kernelInitializer, Initializer? biasInitializer, string? name) : base(name)
    {
        Require(kernelHeight >= 1 && kernelWidth >= 1, $"kernel size must be ≥ 1 but is {kernelHeight}×{kernelWidth}");
        Require(strideHeight >= 1 && strideWidth >= 1, $"stride must be ≥ 1 but is {strideHeight}×{strideWidth}");
        Require(dilationHeight >= 1 && dilationWidth >= 1, $"dilation must be ≥ 1 but is {dilationHeight}×{dilationWidth}");
        Require(Enum.IsDefined(padding), $"unknown padding {padding}");
        if (explicitPadding is { } p)
        {
            Require(p.Top >= 0 && p.Left >= 0 && p.Bottom >= 0 && p.Right >= 0, $"padding must be ≥ 0 but is {p}");
        }
        Require(Activations.IsElementwise(activation), $"activation {activation} is not element-wise; add a separate layer for it");
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        Padding = padding;
        ExplicitPadding = explicitPadding;
        DilationHeight = dilationHeight;
        DilationWidth = dilationWidth;
        UseBias = useBias;
        Activation = activation;
        KernelInitializer = kernelInitializer ?? Initializer.TorchDefault;
        BiasInitializer = biasInitializer ?? Initializer.TorchDefault;
    }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }
    /// <summary>Valid or Same (used when <see cref="ExplicitPadding"/> is null).</summary>
    public Padding Padding { get; }
    /// <summary>Explicit zero padding in pixels (top, left, bottom, right), or null to use <see cref="Padding"/>.</summary>
    public (int Top, int Left, int Bottom, int Right)? ExplicitPadding { get; }
    /// <summary>Vertical dilation.</summary>
    public int DilationHeight { get; }
    /// <summary>Horizontal dilation.</summary>
    public int DilationWidth { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>The fused activation.</summary>
    public Activation Activation { get; }
    /// <summary>Weight initializer.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The weight (PyTorch layout); available after the layer is built.</summary>
    public Parameter Weight { get; private set; } = null!;

    /// <summary>The bias, or null when <see cref="UseBias"/> is false; available after the layer is built.</summary>
    public Parameter? Bias { get; private set; }

    /// <summary>The convolution (or, for a transposed convolution, its equivalent convolution) for a batch of 1.</summary>
    protected abstract ConvGeometry MakeGeometry(int[] inputShape, int batch);

    /// <summary>The weight's shape for a built input.</summary>
    protected abstract int[] WeightShape(ConvGeometry g);

    /// <summary>The per-sample output shape.</summary>
    protected abstract int[] OutputShapeOf(ConvGeometry g);

    /// <summary>Runs the forward kernel: z = conv(x, w) + b.</summary>
    protected abstract void RunForward(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z);

    /// <summary>Runs the data-gradient kernel.</summary>
    protected abstract void RunBackwardData(in ConvGeometry g, ReadOnlySpan<float> dz, ReadOnlySpan<float> w, Span<float> dx);

    /// <summary>Runs the weight-gradient kernel.</summary>
    protected abstract void RunBackwardWeight(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> dw);

    /// <summary>Runs the bias-gradient kernel.</summary>
    protected abstract void RunBackwardBias(in ConvGeometry g, ReadOnlySpan<float> dz, Span<float> db);

    /// <summary>Padding (top, left, bottom, right) for an input of the given size along the two axes.</summary>
    protected (int Top, int Left, int Bottom, int Right) ResolvePadding(int height, int width)
    {
        if (ExplicitPadding is { } p) return p;
        if (Padding == Padding.Valid) return (0, 0, 0, 0);
        var (top, bottom) = ConvGeometry.SamePadding(height, KernelHeight, StrideHeight, DilationHeight);
        var (left, right) = ConvGeometry.SamePadding(width, KernelWidth, StrideWidth, DilationWidth);
        return (top, left, bottom, right);
    }

    /// <summary>Wraps a geometry error with the layer's name.</summary>
    protected ConvGeometry Geometry(int[] inputShape, int batch)
    {
        try
        {
            return MakeGeometry(inputShape, batch);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) cannot take input {Tensor.FormatShape(inputShape)}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        var g = Geometry(inputShape, 1);
        var weight = new Tensor(WeightShape(g));
        var (fanIn, fanOut) = Initializer.ComputeFans(weight.Shape);
        KernelInitializer.Fill(weight, fanIn, fanOut, random);
        Weight = AddParameter("weight", weight);
        if (UseBias)
        {
            var bias = new Tensor(OutputShapeOf(g)[0]);
            BiasInitializer.Fill(bias, fanIn, fanOut, random);
            Bias = AddParameter("bias", bias);
        }
        _geometry = g;
        return OutputShapeOf(g);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        int n = input.Dim(0);
        Refresh(n);
        _input = input;
        var z = Tensor.Reuse(ref _preActivation, _batchOutputShape);
        RunForward(_geometry, input.Span, Weight.Value.Span, Bias is null ? default : Bias.Value.Span, z.Span);
        if (Activation == Activation.Linear) return z;
        var y = Tensor.Reuse(ref _output, z.Shape);
        Activations.Forward(Activation, z.Span, y.Span);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' ({TypeName}): Backward called before Forward.");
        int n = input.Dim(0);
        Refresh(n);
        if (!outputGradient.HasShape(_batchOutputShape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' ({TypeName}): output gradient must have shape {Tensor.FormatShape(_batchOutputShape)} but has {outputGradient.ShapeString}.");
        }
        Tensor dz = outputGradient;
        if (Activation != Activation.Linear)
        {
            dz = Tensor.Reuse(ref _preActivationGradient, outputGradient.Shape);
            Activations.Backward(Activation, _preActivation!.Span, _output!.Span, outputGradient.Span, dz.Span);
        }
        if (Weight.Trainable) RunBackwardWeight(_geometry, input.Span, dz.Span, Weight.Gradient.Span);
        if (Bias is { Trainable: true }) RunBackwardBias(_geometry, dz.Span, Bias.Gradient.Span);
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, input.Shape);
        RunBackwardData(_geometry, dz.Span, Weight.Value.Span, dx.Span);
        return dx;
    }

    // Geometry and output shape for batch n, recomputed only when the batch size changes.
    private void Refresh(int n)
    {
        if (_geometry.Batch == n && _batchOutputShape.Length > 0) return;
        _geometry = Geometry(InputShape, n);
        _batchOutputShape = [n, .. OutputShape];
    }

    /// <summary>The shared configuration keys; subclasses add theirs.</summary>
    protected LayerConfig BaseConfig()
    {
        var config = new LayerConfig()
            .Set("name", Name)
            .Set("kernel_size", [KernelHeight, KernelWidth])
            .Set("strides", [StrideHeight, StrideWidth])
            .SetEnum("padding", Padding)
            .Set("dilation_rate", [DilationHeight, DilationWidth])
            .Set("use_bias", UseBias)
            .SetEnum("activation", Activation)
            .Set("kernel_initializer", KernelInitializer.Name)
            .Set("bias_initializer", BiasInitializer.Name);
        if (ExplicitPadding is { } p) config.Set("explicit_padding", [p.Top, p.Left, p.Bottom, p.Right]);
        return config;
    }

    /// <summary>Reads <c>explicit_padding</c> written by <see cref="BaseConfig"/>.</summary>
    protected static (int, int, int, int)? ReadExplicitPadding(LayerConfig config)
    {
        if (!config.Has("explicit_padding")) return null;
        int[] p = config.GetInts("explicit_padding");
        if (p.Length != 4) throw new InvalidDataException($"Layer config 'explicit_padding' must have 4 values but has {p.Length}.");
        return (p[0], p[1], p[2], p[3]);
    }

    /// <summary>Reads a two-value integer array (such as <c>kernel_size</c>).</summary>
    protected static (int, int) ReadPair(LayerConfig config, string key)
    {
        int[] v = config.GetInts(key);
        return v.Length switch
        {
            1 => (v[0], v[0]),
            2 => (v[0], v[1]),
            _ => throw new InvalidDataException($"Layer config '{key}' must have 1 or 2 values but has {v.Length}."),
        };
    }

    /// <summary>Reads an initializer name, or null when absent.</summary>
    protected static Initializer? ReadInitializer(LayerConfig config, string key) =>
        config.Has(key) ? Initializer.FromName(config.GetString(key)) : null;

    private void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException($"Layer '{Name}' ({GetType().Name}): {message}.");
    }
}
