namespace MLNet.Nets.Kernels;

/// <summary>
/// The shape of a 2-D convolution on NCHW tensors: input [N, C, H, W], weight [K, C/groups, kH, kW] (PyTorch's layout),
/// output [N, K, OH, OW] with OH = (H + padTop + padBottom − dilationH·(kH − 1) − 1) / strideH + 1 (floor), and
/// likewise OW. Padding may be asymmetric (TensorFlow's SAME padding puts the odd pixel at the bottom/right).
/// </summary>
public readonly struct ConvGeometry
{
    /// <summary>
    /// Describes a convolution and checks it; every argument is validated and a bad one is named in the error.
    /// </summary>
    /// <param name="batch">N, images per batch (≥ 1).</param>
    /// <param name="inChannels">C, input channels (a multiple of <paramref name="groups"/>).</param>
    /// <param name="inHeight">H, input height in pixels.</param>
    /// <param name="inWidth">W, input width in pixels.</param>
    /// <param name="outChannels">K, output channels (a multiple of <paramref name="groups"/>).</param>
    /// <param name="kernelHeight">kH.</param>
    /// <param name="kernelWidth">kW.</param>
    /// <param name="strideHeight">Vertical stride; default 1.</param>
    /// <param name="strideWidth">Horizontal stride; default 1.</param>
    /// <param name="padTop">Zero rows above the input; default 0.</param>
    /// <param name="padLeft">Zero columns left of the input; default 0.</param>
    /// <param name="padBottom">Zero rows below the input; default 0.</param>
    /// <param name="padRight">Zero columns right of the input; default 0.</param>
    /// <param name="dilationHeight">Vertical spacing of kernel taps; default 1.</param>
    /// <param name="dilationWidth">Horizontal spacing of kernel taps; default 1.</param>
    /// <param name="groups">Channel groups; C = groups gives a depthwise convolution. Default 1.</param>
    /// <exception cref="ArgumentException">A size is out of range or the output would be empty.</exception>
    public ConvGeometry(int batch, int inChannels, int inHeight, int inWidth, int outChannels, int kernelHeight, int kernelWidth,
        int strideHeight = 1, int strideWidth = 1, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0,
        int dilationHeight = 1, int dilationWidth = 1, int groups = 1)
    {
        Positive(batch, nameof(batch), allowZero: true);
        Positive(inChannels, nameof(inChannels));
        Positive(inHeight, nameof(inHeight));
        Positive(inWidth, nameof(inWidth));
        Positive(outChannels, nameof(outChannels));
        Positive(kernelHeight, nameof(kernelHeight));
        Positive(kernelWidth, nameof(kernelWidth));
        Positive(strideHeight, nameof(strideHeight));
        Positive(strideWidth, nameof(strideWidth));
        Positive(dilationHeight, nameof(dilationHeight));
        Positive(dilationWidth, nameof(dilationWidth));
        Positive(groups, nameof(groups));
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0)
        {
            throw new ArgumentException($"Convolution padding must be ≥ 0 but is top {padTop}, left {padLeft}, bottom {padBottom}, right {padRight}.");
        }
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"Convolution groups ({groups}) must divide both input channels ({inChannels}) and output channels ({outChannels}).");
        }
        int spanH = dilationHeight * (kernelHeight - 1) + 1;
        int spanW = dilationWidth * (kernelWidth - 1) + 1;
        if (inHeight + padTop + padBottom < spanH || inWidth + padLeft + padRight < spanW)
        {
            throw new ArgumentException(
                $"Convolution kernel {kernelHeight}×{kernelWidth} (dilation {dilationHeight}×{dilationWidth}, covering {spanH}×{spanW}) " +
                $"does not fit in the padded input {inHeight + padTop + padBottom}×{inWidth + padLeft + padRight} " +
                $"(input {inHeight}×{inWidth}, padding top {padTop}, left {padLeft}, bottom {padBottom}, right {padRight}).");
        }
        Batch = batch;
        InChannels = inChannels;
        InHeight = inHeight;
        InWidth = inWidth;
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        PadTop = padTop;
        PadLeft = padLeft;
        PadBottom = padBottom;
        PadRight = padRight;
        DilationHeight = dilationHeight;
        DilationWidth = dilationWidth;
        Groups = groups;
        OutHeight = (inHeight + padTop + padBottom - spanH) / strideHeight + 1;
        OutWidth = (inWidth + padLeft + padRight - spanW) / strideWidth + 1;
        long inLen = (long)batch * inChannels * inHeight * inWidth;
        long outLen = (long)batch * outChannels * OutHeight * OutWidth;
        long colLen = (long)inChannels / groups * kernelHeight * kernelWidth * OutHeight * OutWidth;
        if (inLen > Array.MaxLength || outLen > Array.MaxLength || colLen > Array.MaxLength)
        {
            throw new ArgumentException($"Convolution {this} is too large for single arrays.");
        }
    }

    /// <summary>N, images per batch.</summary>
    public int Batch { get; }
    /// <summary>C, input channels.</summary>
    public int InChannels { get; }
    /// <summary>H, input height.</summary>
    public int InHeight { get; }
    /// <summary>W, input width.</summary>
    public int InWidth { get; }
    /// <summary>K, output channels.</summary>
    public int OutChannels { get; }
    /// <summary>kH, kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>kW, kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }
    /// <summary>Zero rows above the input.</summary>
    public int PadTop { get; }
    /// <summary>Zero columns left of the input.</summary>
    public int PadLeft { get; }
    /// <summary>Zero rows below the input.</summary>
    public int PadBottom { get; }
    /// <summary>Zero columns right of the input.</summary>
    public int PadRight { get; }
    /// <summary>Vertical dilation.</summary>
    public int DilationHeight { get; }
    /// <summary>Horizontal dilation.</summary>
    public int DilationWidth { get; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; }
    /// <summary>OH, output height.</summary>
    public int OutHeight { get; }
    /// <summary>OW, output width.</summary>
    public int OutWidth { get; }

    /// <summary>Input channels per group (C / groups).</summary>
    public int InChannelsPerGroup => InChannels / Groups;
    /// <summary>Output channels per group (K / groups).</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;
    /// <summary>Elements of the input tensor, N·C·H·W.</summary>
    public int InputLength => Batch * InChannels * InHeight * InWidth;
    /// <summary>Elements of the output tensor, N·K·OH·OW.</summary>
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;
    /// <summary>Elements of the weight tensor, K·(C/groups)·kH·kW.</summary>
    public int WeightLength => OutChannels * InChannelsPerGroup * KernelHeight * KernelWidth;
    /// <summary>
    /// True for a depthwise convolution: one group per input channel, any channel multiplier (K / C). A single-channel
    /// input with groups 1 (LeNet's first layer) is also depthwise.
    /// </summary>
    public bool IsDepthwise => Groups == InChannels;
    /// <summary>True for a 1×1, stride-1, unpadded convolution, which is a plain matrix product per image.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 &&
        PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;
    /// <summary>Multiply-adds of the forward pass times 2 (the usual FLOP count).</summary>
    public double ForwardFlops => 2.0 * Batch * OutChannels * OutHeight * OutWidth * InChannelsPerGroup * KernelHeight * KernelWidth;

    /// <summary>The input shape [N, C, H, W].</summary>
    public int[] InputShape => [Batch, InChannels, InHeight, InWidth];
    /// <summary>The weight shape [K, C/groups, kH, kW].</summary>
    public int[] WeightShape => [OutChannels, InChannelsPerGroup, KernelHeight, KernelWidth];
    /// <summary>The output shape [N, K, OH, OW].</summary>
    public int[] OutputShape => [Batch, OutChannels, OutHeight, OutWidth];

    /// <summary>The same convolution for another batch size.</summary>
    public ConvGeometry WithBatch(int batch) => new(batch, InChannels, InHeight, InWidth, OutChannels, KernelHeight, KernelWidth,
        StrideHeight, StrideWidth, PadTop, PadLeft, PadBottom, PadRight, DilationHeight, DilationWidth, Groups);

    /// <summary>
    /// TensorFlow/Keras SAME padding for one axis: the output has ceil(input / stride) positions and the total padding
    /// is split with the extra pixel after (bottom/right).
    /// </summary>
    /// <returns>The padding before and after the input.</returns>
    public static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        int output = (input + stride - 1) / stride;
        int span = dilation * (kernel - 1) + 1;
        int total = Math.Max(0, (output - 1) * stride + span - input);
        return (total / 2, total - total / 2);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"conv [N {Batch}, C {InChannels}, {InHeight}×{InWidth}] → [K {OutChannels}, {OutHeight}×{OutWidth}] kernel {KernelHeight}×{KernelWidth} " +
        $"stride {StrideHeight}×{StrideWidth} pad (t {PadTop}, l {PadLeft}, b {PadBottom}, r {PadRight}) dilation {DilationHeight}×{DilationWidth} groups {Groups}";

    private static void Positive(int value, string name, bool allowZero = false)
    {
        if (value < (allowZero ? 0 : 1))
        {
            throw new ArgumentException($"Convolution {name} must be {(allowZero ? "≥ 0" : "≥ 1")} but is {value}.", name);
        }
    }
}
