using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Depthwise-separable 2-D convolution with Keras's semantics (<c>SeparableConv2D</c>): a depthwise convolution
/// (kernel, stride, padding, dilation, depth multiplier, no bias) followed by a 1×1 pointwise convolution to
/// <c>filters</c> channels with a bias and an optional fused activation.
/// </summary>
/// <remarks>
/// <para>Input [N, C, H, W]; output [N, filters, OH, OW] (OH, OW as for the depthwise part).</para>
/// <para>Parameters, named as a PyTorch module with <c>depthwise</c> and <c>pointwise</c> sub-convolutions:
/// <c>depthwise.weight</c> [C·m, 1, kH, kW], <c>pointwise.weight</c> [filters, C·m, 1, 1], <c>pointwise.bias</c>
/// [filters]. Parameter count = C·m·kH·kW + C·m·filters + filters, as Keras. Default initialization is PyTorch's for
/// each convolution.</para>
/// </remarks>
public sealed class SeparableConv2D : SingleInputLayer
{
    private Tensor? _input;
    private Tensor? _depthwiseOutput;
    private Tensor? _preActivation;
    private Tensor? _output;
    private Tensor? _preActivationGradient;
    private Tensor? _depthwiseGradient;
    private ConvGeometry _depthwise;
    private ConvGeometry _pointwise;
    private int[] _batchOutputShape = [];
    private int[] _batchMiddleShape = [];

    /// <summary>Creates a separable convolution.</summary>
    /// <param name="filters">Output channels of the pointwise part (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel height and width.</param>
    /// <param name="stride">Depthwise stride along both axes; default 1.</param>
    /// <param name="padding">Valid (default) or Same, for the depthwise part.</param>
    /// <param name="depthMultiplier">Depthwise output channels per input channel; default 1.</param>
    /// <param name="dilation">Depthwise dilation; default 1.</param>
    /// <param name="useBias">Whether the pointwise part adds a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    /// <param name="kernelInitializer">Initializer of both kernels; default PyTorch's.</param>
    /// <param name="biasInitializer">Bias initializer; default PyTorch's.</param>
    public SeparableConv2D(int filters, int kernelSize, int stride = 1, Padding padding = Padding.Valid, int depthMultiplier = 1, int dilation = 1,
        bool useBias = true, Activation activation = Activation.Linear, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null) : base(name)
    {
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), $"Layer '{name}' (SeparableConv2D) needs at least 1 filter but got {filters}.");
        if (kernelSize < 1 || stride < 1 || dilation < 1 || depthMultiplier < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize),
                $"Layer '{name}' (SeparableConv2D): kernel size ({kernelSize}), stride ({stride}), dilation ({dilation}) and depth multiplier ({depthMultiplier}) must be ≥ 1.");
        }
        if (!Enum.IsDefined(padding)) throw new ArgumentOutOfRangeException(nameof(padding), $"Unknown padding {padding}.");
        if (!Activations.IsElementwise(activation))
        {
            throw new ArgumentException($"Layer '{name}' (SeparableConv2D): activation {activation} is not element-wise; add a separate layer for it.");
        }
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        DepthMultiplier = depthMultiplier;
        Dilation = dilation;
        UseBias = useBias;
        Activation = activation;
        KernelInitializer = kernelInitializer ?? Initializer.TorchDefault;
        BiasInitializer = biasInitializer ?? Initializer.TorchDefault;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Depthwise kernel height and width.</summary>
    public int KernelSize { get; }
    /// <summary>Depthwise stride.</summary>
    public int Stride { get; }
    /// <summary>Depthwise padding.</summary>
    public Padding Padding { get; }
    /// <summary>Depthwise channels per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>Depthwise dilation.</summary>
    public int Dilation { get; }
    /// <summary>Whether the pointwise part adds a bias.</summary>
    public bool UseBias { get; }
    /// <summary>The fused activation.</summary>
    public Activation Activation { get; }
    /// <summary>Initializer of both kernels.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The depthwise kernel [C·m, 1, kH, kW]; available after the layer is built.</summary>
    public Parameter DepthwiseWeight { get; private set; } = null!;
    /// <summary>The pointwise kernel [filters, C·m, 1, 1]; available after the layer is built.</summary>
    public Parameter PointwiseWeight { get; private set; } = null!;
    /// <summary>The bias [filters], or null without bias; available after the layer is built.</summary>
    public Parameter? Bias { get; private set; }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        var (dw, pw) = Geometries(inputShape, 1);
        var depthwise = new Tensor(dw.WeightShape);
        var (fi, fo) = Initializer.ComputeFans(depthwise.Shape);
        KernelInitializer.Fill(depthwise, fi, fo, random);
        DepthwiseWeight = AddParameter("depthwise.weight", depthwise);
        var pointwise = new Tensor(pw.WeightShape);
        (fi, fo) = Initializer.ComputeFans(pointwise.Shape);
        KernelInitializer.Fill(pointwise, fi, fo, random);
        PointwiseWeight = AddParameter("pointwise.weight", pointwise);
        if (UseBias)
        {
            var bias = new Tensor(Filters);
            BiasInitializer.Fill(bias, fi, fo, random);
            Bias = AddParameter("pointwise.bias", bias);
        }
        _depthwise = dw;
        _pointwise = pw;
        return [Filters, pw.OutHeight, pw.OutWidth];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        Refresh(input.Dim(0));
        _input = input;
        var t = Tensor.Reuse(ref _depthwiseOutput, _batchMiddleShape);
        DepthwiseConvolution.Forward(_depthwise, input.Span, DepthwiseWeight.Value.Span, default, t.Span);
        var z = Tensor.Reuse(ref _preActivation, _batchOutputShape);
        Convolution.Forward(_pointwise, t.Span, PointwiseWeight.Value.Span, Bias is null ? default : Bias.Value.Span, z.Span);
        if (Activation == Activation.Linear) return z;
        var y = Tensor.Reuse(ref _output, _batchOutputShape);
        Activations.Forward(Activation, z.Span, y.Span);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}' (SeparableConv2D): Backward called before Forward.");
        Refresh(input.Dim(0));
        if (!outputGradient.HasShape(_batchOutputShape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' (SeparableConv2D): output gradient must have shape {Tensor.FormatShape(_batchOutputShape)} but has {outputGradient.ShapeString}.");
        }
        Tensor dz = outputGradient;
        if (Activation != Activation.Linear)
        {
            dz = Tensor.Reuse(ref _preActivationGradient, _batchOutputShape);
            Activations.Backward(Activation, _preActivation!.Span, _output!.Span, outputGradient.Span, dz.Span);
        }
        if (PointwiseWeight.Trainable) Convolution.BackwardWeight(_pointwise, _depthwiseOutput!.Span, dz.Span, PointwiseWeight.Gradient.Span);
        if (Bias is { Trainable: true }) Convolution.BackwardBias(_pointwise, dz.Span, Bias.Gradient.Span);
        if (!DepthwiseWeight.Trainable && !NeedsInputGradient) return null;
        var dt = Tensor.Reuse(ref _depthwiseGradient, _batchMiddleShape);
        Convolution.BackwardData(_pointwise, dz.Span, PointwiseWeight.Value.Span, dt.Span);
        if (DepthwiseWeight.Trainable) DepthwiseConvolution.BackwardWeight(_depthwise, input.Span, dt.Span, DepthwiseWeight.Gradient.Span);
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, input.Shape);
        DepthwiseConvolution.BackwardData(_depthwise, dt.Span, DepthwiseWeight.Value.Span, dx.Span);
        return dx;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig()
        .Set("name", Name)
        .Set("filters", Filters)
        .Set("kernel_size", KernelSize)
        .Set("strides", Stride)
        .SetEnum("padding", Padding)
        .Set("depth_multiplier", DepthMultiplier)
        .Set("dilation_rate", Dilation)
        .Set("use_bias", UseBias)
        .SetEnum("activation", Activation)
        .Set("kernel_initializer", KernelInitializer.Name)
        .Set("bias_initializer", BiasInitializer.Name);

    /// <summary>Rebuilds a SeparableConv2D from <see cref="GetConfig"/>'s output.</summary>
    public static SeparableConv2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SeparableConv2D(config.GetInt("filters"), config.GetInt("kernel_size"), config.GetInt("strides", 1),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, config.GetInt("depth_multiplier", 1),
            config.GetInt("dilation_rate", 1), config.GetBool("use_bias", true),
            config.Has("activation") ? config.GetEnum<Activation>("activation") : Activation.Linear, config.GetStringOrNull("name"),
            config.Has("kernel_initializer") ? Initializer.FromName(config.GetString("kernel_initializer")) : null,
            config.Has("bias_initializer") ? Initializer.FromName(config.GetString("bias_initializer")) : null);
    }

    private void Refresh(int n)
    {
        if (_depthwise.Batch == n && _batchOutputShape.Length > 0) return;
        (_depthwise, _pointwise) = Geometries(InputShape, n);
        _batchMiddleShape = [n, _depthwise.OutChannels, _depthwise.OutHeight, _depthwise.OutWidth];
        _batchOutputShape = [n, Filters, _pointwise.OutHeight, _pointwise.OutWidth];
    }

    private (ConvGeometry Depthwise, ConvGeometry Pointwise) Geometries(int[] inputShape, int batch)
    {
        if (inputShape.Length != 3)
        {
            throw new ArgumentException($"Layer '{Name}' (SeparableConv2D) takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        }
        try
        {
            int c = inputShape[0], h = inputShape[1], w = inputShape[2];
            var (t, b) = Padding == Padding.Same ? ConvGeometry.SamePadding(h, KernelSize, Stride, Dilation) : (0, 0);
            var (l, r) = Padding == Padding.Same ? ConvGeometry.SamePadding(w, KernelSize, Stride, Dilation) : (0, 0);
            var dw = new ConvGeometry(batch, c, h, w, c * DepthMultiplier, KernelSize, KernelSize, Stride, Stride, t, l, b, r, Dilation, Dilation, c);
            var pw = new ConvGeometry(batch, c * DepthMultiplier, dw.OutHeight, dw.OutWidth, Filters, 1, 1);
            return (dw, pw);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Layer '{Name}' (SeparableConv2D) cannot take input {Tensor.FormatShape(inputShape)}: {e.Message}", e);
        }
    }
}
