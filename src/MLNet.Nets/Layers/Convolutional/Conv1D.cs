using MLNet.Nets.Initializers;
using MLNet.Nets.Kernels;

namespace MLNet.Nets.Layers;

/// <summary>
/// 1-D convolution over sequences (PyTorch's <c>nn.Conv1d</c>; Keras's <c>Conv1D</c> in channels-first layout) with an
/// optional fused activation. Computed by the 2-D kernels with height 1.
/// </summary>
/// <remarks>
/// <para>Input [N, C, L]; output [N, filters, OL] with OL = (L + padding − dilation·(k − 1) − 1) / stride + 1.</para>
/// <para>Parameters (PyTorch names and layout): <c>weight</c> [filters, C/groups, k], <c>bias</c> [filters]; default
/// initialization U(±1/√fan_in), fan_in = (C/groups)·k.</para>
/// </remarks>
public sealed class Conv1D : ConvolutionLayerBase
{
    /// <summary>Creates a 1-D convolution.</summary>
    /// <param name="filters">Output channels (≥ 1, a multiple of <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Kernel length.</param>
    /// <param name="stride">Stride; default 1.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    /// <param name="dilation">Dilation; default 1.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    /// <param name="kernelInitializer">Weight initializer; default PyTorch's.</param>
    /// <param name="biasInitializer">Bias initializer; default PyTorch's.</param>
    public Conv1D(int filters, int kernelSize, int stride = 1, Padding padding = Padding.Valid, int dilation = 1, int groups = 1,
        bool useBias = true, Activation activation = Activation.Linear, string? name = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null)
        : this(filters, kernelSize, stride, padding, null, dilation, groups, useBias, activation, name, kernelInitializer, biasInitializer)
    {
    }

    /// <summary>Creates a 1-D convolution with explicit zero padding, PyTorch style.</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Kernel length.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Zero elements added at the (start, end) of the sequence.</param>
    /// <param name="dilation">Dilation; default 1.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <param name="useBias">Whether to add a bias; default true.</param>
    /// <param name="activation">Fused element-wise activation; default Linear.</param>
    /// <param name="name">Layer name, or null.</param>
    public Conv1D(int filters, int kernelSize, int stride, (int Start, int End) padding, int dilation = 1, int groups = 1,
        bool useBias = true, Activation activation = Activation.Linear, string? name = null)
        : this(filters, kernelSize, stride, Padding.Valid, (0, padding.Start, 0, padding.End), dilation, groups, useBias, activation, name, null, null)
    {
    }

    private Conv1D(int filters, int kernelSize, int stride, Padding padding, (int, int, int, int)? explicitPadding, int dilation, int groups,
        bool useBias, Activation activation, string? name, Initializer? kernelInitializer, Initializer? biasInitializer)
        : base(1, kernelSize, 1, stride, padding, explicitPadding, 1, dilation, useBias, activation, kernelInitializer, biasInitializer, name)
    {
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), $"Layer '{name}' (Conv1D) needs at least 1 filter but got {filters}.");
        if (groups < 1 || filters % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), $"Layer '{name}' (Conv1D): groups ({groups}) must be ≥ 1 and divide filters ({filters}).");
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
        if (inputShape.Length != 2) throw new ArgumentException($"Conv1D takes input [N, C, L] but got [N, {string.Join(", ", inputShape)}].");
        var (_, l, _, r) = ResolvePadding(1, inputShape[1]);
        return new ConvGeometry(batch, inputShape[0], 1, inputShape[1], Filters, 1, KernelWidth,
            1, StrideWidth, 0, l, 0, r, 1, DilationWidth, Groups);
    }

    /// <inheritdoc />
    protected override int[] WeightShape(ConvGeometry g) => [g.OutChannels, g.InChannelsPerGroup, g.KernelWidth];

    /// <inheritdoc />
    protected override int[] OutputShapeOf(ConvGeometry g) => [g.OutChannels, g.OutWidth];

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

    /// <summary>Rebuilds a Conv1D from <see cref="GetConfig"/>'s output.</summary>
    public static Conv1D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Conv1D(config.GetInt("filters"), ReadPair(config, "kernel_size").Item2, ReadPair(config, "strides").Item2,
            config.Has("padding") ? config.GetEnum<Padding>("padding") : Padding.Valid, ReadExplicitPadding(config),
            config.Has("dilation_rate") ? ReadPair(config, "dilation_rate").Item2 : 1, config.GetInt("groups", 1),
            config.GetBool("use_bias", true), config.Has("activation") ? config.GetEnum<Activation>("activation") : Activation.Linear,
            config.GetStringOrNull("name"), ReadInitializer(config, "kernel_initializer"), ReadInitializer(config, "bias_initializer"));
    }
}
