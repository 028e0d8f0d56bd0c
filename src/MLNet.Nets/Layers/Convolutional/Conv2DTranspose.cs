using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Layers;

/// <summary>
/// Transposed 2-D convolution (PyTorch's <c>nn.ConvTranspose2d</c>, Keras's <c>Conv2DTranspose</c>): upsamples by the
/// stride; the data gradient of a convolution used as a forward pass.
/// </summary>
/// <remarks>
/// <para>Input [N, C, H, W]; output [N, filters, OH, OW] with, for Valid or explicit padding,
/// OH = (H − 1)·stride − padTop − padBottom + dilation·(kH − 1) + outputPadding + 1, and for Same, OH = H·stride
/// (Keras).</para>
/// <para>Parameters (PyTorch names and layout): <c>weight</c> [C, filters/groups, kH, kW], <c>bias</c> [filters].
/// Default initialization is PyTorch's, U(±1/√fan_in) with fan_in = (filters/groups)·kH·kW as PyTorch computes it.</para>
/// </remarks>
public sealed class Conv2DTranspose : ConvolutionLayerBase
{
    /// <summary>Creates a transposed convolution with a square kernel and stride.</summary>
    /// <param name="filters">Output channels (a multiple of <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Upsampling stride along both axes; default 1.</param>
    /// <param name="padding">Valid (default) or Same (output = input·stride).</param>
    /// <param name="outputPadding">Extra rows/columns at the bottom/right, below the stride; default 0 (Valid only).</param>
    /// <param name="dilation">Dilation; default 1.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    /// <param name="kernelInitializer">Weight initializer; default PyTorch's.</param>
    /// <param name="biasInitializer">Bias initializer; default PyTorch's.</param>
    public Conv2DTranspose(int filters, int kernelSize, int stride = 1, Padding padding = Padding.Valid, int outputPadding = 0, int dilation = 1,
        int groups = 1, bool useBias = true, Activation activation = Activation.Linear, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null)
        : this(filters, (kernelSize, kernelSize), (stride, stride), padding, null, (outputPadding, outputPadding), (dilation, dilation), groups,
            useBias, activation, name, kernelInitializer, biasInitializer)
    {
    }

    /// <summary>Creates a transposed convolution with PyTorch's explicit padding (pixels cropped from each side).</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">(height, width) of the kernel.</param>
    /// <param name="stride">(vertical, horizontal) stride.</param>
    /// <param name="padding">Pixels removed (top, left, bottom, right) from the full output.</param>
    /// <param name="outputPadding">(rows, columns) added at the bottom/right, each below its stride; default (0, 0) when null.</param>
    /// <param name="dilation">(vertical, horizontal) dilation; default (1, 1) when null.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    public Conv2DTranspose(int filters, (int Height, int Width) kernelSize, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding,
        (int Height, int Width)? outputPadding = null, (int Height, int Width)? dilation = null, int groups = 1, bool useBias = true,
        Activation activation = Activation.Linear, string? name = null)
        : this(filters, kernelSize, stride, Padding.Valid, padding, outputPadding ?? (0, 0), dilation ?? (1, 1), groups, useBias, activation, name, null, null)
    {
    }

    private Conv2DTranspose(int filters, (int H, int W) kernel, (int H, int W) stride, Padding padding, (int, int, int, int)? explicitPadding,
        (int H, int W) outputPadding, (int H, int W) dilation, int groups, bool useBias, Activation activation, string? name,
        Initializer? kernelInitializer, Initializer? biasInitializer)
        : base(kernel.H, kernel.W, stride.H, stride.W, padding, explicitPadding, dilation.H, dilation.W, useBias, activation, kernelInitializer, biasInitializer, name)
    {
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), $"Layer '{name}' (Conv2DTranspose) needs at least 1 filter but got {filters}.");
        if (groups < 1 || filters % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), $"Layer '{name}' (Conv2DTranspose): groups ({groups}) must be ≥ 1 and divide filters ({filters}).");
        }
        if (outputPadding.H < 0 || outputPadding.W < 0 || outputPadding.H >= stride.H || outputPadding.W >= stride.W)
        {
            throw new ArgumentOutOfRangeException(nameof(outputPadding),
                $"Layer '{name}' (Conv2DTranspose): output padding {outputPadding} must be ≥ 0 and below the stride {stride}.");
        }
        if (explicitPadding is null && padding == Padding.Same && (outputPadding.H != 0 || outputPadding.W != 0))
        {
            throw new ArgumentException($"Layer '{name}' (Conv2DTranspose): output padding is not used with Same padding (the output is input·stride).");
        }
        Filters = filters;
        Groups = groups;
        OutputPaddingHeight = outputPadding.H;
        OutputPaddingWidth = outputPadding.W;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>Extra rows at the bottom of the output.</summary>
    public int OutputPaddingHeight { get; }

    /// <summary>Extra columns at the right of the output.</summary>
    public int OutputPaddingWidth { get; }

    /// <inheritdoc />
    protected override ConvGeometry MakeGeometry(int[] inputShape, int batch)
    {
        if (inputShape.Length != 3) throw new ArgumentException($"Conv2DTranspose takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        int c = inputShape[0], h = inputShape[1], w = inputShape[2];
        if (ExplicitPadding is null && Padding == Padding.Same)
        {
            var (t, b) = ConvGeometry.SamePadding(h * StrideHeight, KernelHeight, StrideHeight, DilationHeight);
            var (l, r) = ConvGeometry.SamePadding(w * StrideWidth, KernelWidth, StrideWidth, DilationWidth);
            return new ConvGeometry(batch, Filters, h * StrideHeight, w * StrideWidth, c, KernelHeight, KernelWidth,
                StrideHeight, StrideWidth, t, l, b, r, DilationHeight, DilationWidth, Groups);
        }
        var (pt, pl, pb, pr) = ExplicitPadding ?? (0, 0, 0, 0);
        return TransposedConvolution.Geometry(batch, c, h, w, Filters, KernelHeight, KernelWidth, StrideHeight, StrideWidth,
            pt, pl, pb, pr, OutputPaddingHeight, OutputPaddingWidth, DilationHeight, DilationWidth, Groups);
    }

    /// <inheritdoc />
    protected override int[] WeightShape(ConvGeometry g) => g.WeightShape;

    /// <inheritdoc />
    protected override int[] OutputShapeOf(ConvGeometry g) => [g.InChannels, g.InHeight, g.InWidth];

    /// <inheritdoc />
    protected override void RunForward(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z) =>
        TransposedConvolution.Forward(g, x, w, b, z);

    /// <inheritdoc />
    protected override void RunBackwardData(in ConvGeometry g, ReadOnlySpan<float> dz, ReadOnlySpan<float> w, Span<float> dx) =>
        TransposedConvolution.BackwardData(g, dz, w, dx);

    /// <inheritdoc />
    protected override void RunBackwardWeight(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> dw) =>
        TransposedConvolution.BackwardWeight(g, x, dz, dw);

    /// <inheritdoc />
    protected override void RunBackwardBias(in ConvGeometry g, ReadOnlySpan<float> dz, Span<float> db) =>
        TransposedConvolution.BackwardBias(g, dz, db);

    /// <inheritdoc />
    public override LayerConfig GetConfig() => BaseConfig().Set("filters", Filters).Set("groups", Groups)
        .Set("output_padding", [OutputPaddingHeight, OutputPaddingWidth]);

    /// <summary>Rebuilds a Conv2DTranspose from <see cref="GetConfig"/>'s output.</summary>
    public static Conv2DTranspose FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Conv2DTranspose(config.GetInt("filters"), ReadPair(config, "kernel_size"), ReadPair(config, "strides"),
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config),
            config.Has("output_padding") ? ReadPair(config, "output_padding") : (0, 0),
            config.Has("dilation_rate") ? ReadPair(config, "dilation_rate") : (1, 1), config.GetInt("groups", 1),
            config.GetBool("use_bias", true), config.Has("activation") ? config.GetEnum<Activation>("activation") : Activation.Linear,
            config.GetStringOrNull("name"), ReadInitializer(config, "kernel_initializer"), ReadInitializer(config, "bias_initializer"));
    }
}
