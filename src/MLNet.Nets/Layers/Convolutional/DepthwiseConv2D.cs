using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Layers;

/// <summary>
/// Depthwise 2-D convolution (Keras's <c>DepthwiseConv2D</c>; PyTorch's <c>nn.Conv2d</c> with groups = C): each input
/// channel is convolved with its own <c>depthMultiplier</c> kernels. The building block of MobileNets.
/// </summary>
/// <remarks>
/// <para>Input [N, C, H, W]; output [N, C·depthMultiplier, OH, OW] (output channel c·m + j comes from input channel c).</para>
/// <para>Parameters (PyTorch layout): <c>weight</c> [C·depthMultiplier, 1, kH, kW], <c>bias</c> [C·depthMultiplier].
/// Default initialization is PyTorch's, U(±1/√(kH·kW)).</para>
/// </remarks>
public sealed class DepthwiseConv2D : ConvolutionLayerBase
{
    /// <summary>Creates a depthwise convolution.</summary>
    /// <param name="kernelSize">Kernel height and width (3 and 5 in MobileNets).</param>
    /// <param name="stride">Stride along both axes; default 1.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="depthMultiplier">Output channels per input channel; default 1.</param>
    /// <param name="dilation">Dilation along both axes; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    /// <param name="kernelInitializer">Weight initializer; default PyTorch's.</param>
    /// <param name="biasInitializer">Bias initializer; default PyTorch's.</param>
    public DepthwiseConv2D(int kernelSize, int stride = 1, Padding padding = Padding.Valid, int depthMultiplier = 1, int dilation = 1,
        bool useBias = true, Activation activation = Activation.Linear, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null)
        : this((kernelSize, kernelSize), (stride, stride), padding, null, depthMultiplier, (dilation, dilation), useBias, activation, name, kernelInitializer, biasInitializer)
    {
    }

    /// <summary>Creates a depthwise convolution with explicit zero padding, PyTorch style (e.g. 3×3, stride 2, padding 1).</summary>
    /// <param name="kernelSize">(height, width) of the kernel.</param>
    /// <param name="stride">(vertical, horizontal) stride.</param>
    /// <param name="padding">Zero pixels (top, left, bottom, right).</param>
    /// <param name="depthMultiplier">Output channels per input channel; default 1.</param>
    /// <param name="dilation">(vertical, horizontal) dilation; default (1, 1) when null.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    public DepthwiseConv2D((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding,
        int depthMultiplier = 1, (int Height, int Width)? dilation = null, bool useBias = true, Activation activation = Activation.Linear, string? name = null)
        : this(kernelSize, stride, Padding.Valid, padding, depthMultiplier, dilation ?? (1, 1), useBias, activation, name, null, null)
    {
    }

    private DepthwiseConv2D((int H, int W) kernel, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding, int depthMultiplier,
        (int H, int W) dilation, bool useBias, Activation activation, string? name, Initializer? kernelInitializer, Initializer? biasInitializer)
        : base(kernel.H, kernel.W, stride.H, stride.W, padding, explicitPadding, dilation.H, dilation.W, useBias, activation, kernelInitializer, biasInitializer, name)
    {
        if (depthMultiplier < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depthMultiplier), $"Layer '{name}' (DepthwiseConv2D): depth multiplier must be ≥ 1 but is {depthMultiplier}.");
        }
        DepthMultiplier = depthMultiplier;
    }

    /// <summary>Output channels per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <inheritdoc />
    protected override ConvGeometry MakeGeometry(int[] inputShape, int batch)
    {
        if (inputShape.Length != 3) throw new ArgumentException($"DepthwiseConv2D takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        var (t, l, b, r) = ResolvePadding(inputShape[1], inputShape[2]);
        int c = inputShape[0];
        return new ConvGeometry(batch, c, inputShape[1], inputShape[2], c * DepthMultiplier, KernelHeight, KernelWidth,
            StrideHeight, StrideWidth, t, l, b, r, DilationHeight, DilationWidth, c);
    }

    /// <inheritdoc />
    protected override int[] WeightShape(ConvGeometry g) => g.WeightShape;

    /// <inheritdoc />
    protected override int[] OutputShapeOf(ConvGeometry g) => [g.OutChannels, g.OutHeight, g.OutWidth];

    /// <inheritdoc />
    protected override void RunForward(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z) =>
        DepthwiseConvolution.Forward(g, x, w, b, z);

    /// <inheritdoc />
    protected override void RunBackwardData(in ConvGeometry g, ReadOnlySpan<float> dz, ReadOnlySpan<float> w, Span<float> dx) =>
        DepthwiseConvolution.BackwardData(g, dz, w, dx);

    /// <inheritdoc />
    protected override void RunBackwardWeight(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> dw) =>
        DepthwiseConvolution.BackwardWeight(g, x, dz, dw);

    /// <inheritdoc />
    protected override void RunBackwardBias(in ConvGeometry g, ReadOnlySpan<float> dz, Span<float> db) =>
        Convolution.BackwardBias(g, dz, db);

    /// <inheritdoc />
    public override LayerConfig GetConfig() => BaseConfig().Set("depth_multiplier", DepthMultiplier);

    /// <summary>Rebuilds a DepthwiseConv2D from <see cref="GetConfig"/>'s output.</summary>
    public static DepthwiseConv2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DepthwiseConv2D(ReadPair(config, "kernel_size"), ReadPair(config, "strides"),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config),
            config.GetInt("depth_multiplier", 1), config.Has("dilation_rate") ? ReadPair(config, "dilation_rate") : (1, 1),
            config.GetBool("use_bias", true), config.Has("activation") ? config.GetEnum<Activation>("activation") : Activation.Linear,
            config.GetStringOrNull("name"), ReadInitializer(config, "kernel_initializer"), ReadInitializer(config, "bias_initializer"));
    }
}
