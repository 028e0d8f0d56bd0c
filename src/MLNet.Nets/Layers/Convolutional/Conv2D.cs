using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Layers;

/// <summary>
/// 2-D convolution over images (PyTorch's <c>nn.Conv2d</c>, Keras's <c>Conv2D</c>) with an optional fused activation.
/// </summary>
/// <remarks>
/// <para>Input [N, C, H, W]; output [N, filters, OH, OW] with OH = (H + padding − dilation·(kH − 1) − 1) / stride + 1
/// (Valid: no padding; Same: OH = ceil(H / stride), TensorFlow's asymmetric split; or explicit pixels per side).</para>
/// <para>Parameters (PyTorch names and layout): <c>weight</c> [filters, C/groups, kH, kW], <c>bias</c> [filters].
/// Default initialization is PyTorch's: U(±1/√fan_in) for both, fan_in = (C/groups)·kH·kW.</para>
/// </remarks>
public sealed class Conv2D : ConvolutionLayerBase
{
    /// <summary>Creates a 2-D convolution with a square kernel and stride.</summary>
    /// <param name="filters">Output channels (≥ 1, a multiple of <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Stride along both axes; default 1.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="dilation">Dilation along both axes; default 1.</param>
    /// <param name="groups">Channel groups (input channels must be a multiple); default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name; null lets the model choose one.</param>
    /// <param name="kernelInitializer">Weight initializer; default PyTorch's.</param>
    /// <param name="biasInitializer">Bias initializer; default PyTorch's.</param>
    public Conv2D(int filters, int kernelSize, int stride = 1, Padding padding = Padding.Valid, int dilation = 1, int groups = 1,
        bool useBias = true, Activation activation = Activation.Linear, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null)
        : this(filters, (kernelSize, kernelSize), (stride, stride), padding, null, (dilation, dilation), groups, useBias, activation, name, kernelInitializer, biasInitializer)
    {
    }

    /// <summary>Creates a 2-D convolution with a rectangular kernel, stride and dilation (e.g. Inception's 1×7 and 7×1).</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">(height, width) of the kernel.</param>
    /// <param name="stride">(vertical, horizontal) stride; default (1, 1) when null.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="dilation">(vertical, horizontal) dilation; default (1, 1) when null.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    public Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width)? stride = null, Padding padding = Padding.Valid,
        (int Height, int Width)? dilation = null, int groups = 1, bool useBias = true, Activation activation = Activation.Linear, string? name = null)
        : this(filters, kernelSize, stride ?? (1, 1), padding, null, dilation ?? (1, 1), groups, useBias, activation, name, null, null)
    {
    }

    /// <summary>Creates a 2-D convolution with explicit zero padding, PyTorch style (e.g. ResNet's 7×7, stride 2, padding 3).</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">(height, width) of the kernel.</param>
    /// <param name="stride">(vertical, horizontal) stride.</param>
    /// <param name="padding">Zero pixels added on each side as (top, left, bottom, right).</param>
    /// <param name="dilation">(vertical, horizontal) dilation; default (1, 1) when null.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    /// <param name="kernelInitializer">Weight initializer; default PyTorch's.</param>
    /// <param name="biasInitializer">Bias initializer; default PyTorch's.</param>
    public Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding,
        (int Height, int Width)? dilation = null, int groups = 1, bool useBias = true, Activation activation = Activation.Linear, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null)
        : this(filters, kernelSize, stride, Padding.Valid, padding, dilation ?? (1, 1), groups, useBias, activation, name, kernelInitializer, biasInitializer)
    {
    }

    private Conv2D(int filters, (int H, int W) kernel, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding,
        (int H, int W) dilation, int groups, bool useBias, Activation activation, string? name, Initializer? kernelInitializer, Initializer? biasInitializer)
        : base(kernel.H, kernel.W, stride.H, stride.W, padding, explicitPadding, dilation.H, dilation.W, useBias, activation, kernelInitializer, biasInitializer, name)
    {
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), $"Layer '{name}' (Conv2D) needs at least 1 filter but got {filters}.");
        if (groups < 1 || filters % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), $"Layer '{name}' (Conv2D): groups ({groups}) must be ≥ 1 and divide filters ({filters}).");
        }
        Filters = filters;
        Groups = groups;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <inheritdoc />
    protected override ConvGeometry MakeGeometry(int[] inputShape, int batch)
    {
        if (inputShape.Length != 3) throw new ArgumentException($"Conv2D takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        var (t, l, b, r) = ResolvePadding(inputShape[1], inputShape[2]);
        return new ConvGeometry(batch, inputShape[0], inputShape[1], inputShape[2], Filters, KernelHeight, KernelWidth,
            StrideHeight, StrideWidth, t, l, b, r, DilationHeight, DilationWidth, Groups);
    }

    /// <inheritdoc />
    protected override int[] WeightShape(ConvGeometry g) => g.WeightShape;

    /// <inheritdoc />
    protected override int[] OutputShapeOf(ConvGeometry g) => [g.OutChannels, g.OutHeight, g.OutWidth];

    /// <inheritdoc />
    protected override void RunForward(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z) =>
        Convolution.Forward(g, x, w, b, z);

    /// <inheritdoc />
    protected override void RunBackwardData(in ConvGeometry g, ReadOnlySpan<float> dz, ReadOnlySpan<float> w, Span<float> dx) =>
        Convolution.BackwardData(g, dz, w, dx);

    /// <inheritdoc />
    protected override void RunBackwardWeight(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> dw) =>
        Convolution.BackwardWeight(g, x, dz, dw);

    /// <inheritdoc />
    protected override void RunBackwardBias(in ConvGeometry g, ReadOnlySpan<float> dz, Span<float> db) =>
        Convolution.BackwardBias(g, dz, db);

    /// <inheritdoc />
    public override LayerConfig GetConfig() => BaseConfig().Set("filters", Filters).Set("groups", Groups);

    /// <summary>Rebuilds a Conv2D from <see cref="GetConfig"/>'s output.</summary>
    public static Conv2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Conv2D(config.GetInt("filters"), ReadPair(config, "kernel_size"), ReadPair(config, "strides"),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config),
            config.Has("dilation_rate") ? ReadPair(config, "dilation_rate") : (1, 1), config.GetInt("groups", 1),
            config.GetBool("use_bias", true), config.Has("activation") ? config.GetEnum<Activation>("activation") : Activation.Linear,
            config.GetStringOrNull("name"), ReadInitializer(config, "kernel_initializer"), ReadInitializer(config, "bias_initializer"));
    }
}
