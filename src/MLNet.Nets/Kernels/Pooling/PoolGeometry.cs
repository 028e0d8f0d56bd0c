namespace MLNet.Nets.Kernels;

/// <summary>
/// The shape of a 2-D pooling on NCHW tensors: input [N, C, H, W], output [N, C, OH, OW] with
/// OH = (H + padTop + padBottom − kH) / strideH + 1 (floor, PyTorch's ceil_mode = false). Padding may be asymmetric
/// (TensorFlow's SAME) and must be smaller than the window so every window holds at least one input pixel.
/// 1-D pooling is the H = 1, kH = 1 case.
/// </summary>
public readonly struct PoolGeometry
{
    /// <summary>Describes a pooling and checks it; a bad argument is named in the error.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">H.</param>
    /// <param name="inWidth">W.</param>
    /// <param name="kernelHeight">Window height kH.</param>
    /// <param name="kernelWidth">Window width kW.</param>
    /// <param name="strideHeight">Vertical stride (PyTorch's default is the window size).</param>
    /// <param name="strideWidth">Horizontal stride.</param>
    /// <param name="padTop">Rows of padding above; default 0.</param>
    /// <param name="padLeft">Columns of padding left; default 0.</param>
    /// <param name="padBottom">Rows of padding below; default 0.</param>
    /// <param name="padRight">Columns of padding right; default 0.</param>
    /// <exception cref="ArgumentException">A size is out of range.</exception>
    public PoolGeometry(int batch, int channels, int inHeight, int inWidth, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0)
    {
        if (batch < 0) throw new ArgumentException($"Pooling batch must be ≥ 0 but is {batch}.", nameof(batch));
        if (channels < 1 || inHeight < 1 || inWidth < 1)
        {
            throw new ArgumentException($"Pooling input [C {channels}, {inHeight}×{inWidth}] must have at least one channel and pixel.");
        }
        if (kernelHeight < 1 || kernelWidth < 1 || strideHeight < 1 || strideWidth < 1)
        {
            throw new ArgumentException($"Pooling window {kernelHeight}×{kernelWidth} and stride {strideHeight}×{strideWidth} must be ≥ 1.");
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0 ||
            padTop >= kernelHeight || padBottom >= kernelHeight || padLeft >= kernelWidth || padRight >= kernelWidth)
        {
            throw new ArgumentException(
                $"Pooling padding (t {padTop}, l {padLeft}, b {padBottom}, r {padRight}) must be ≥ 0 and smaller than the window {kernelHeight}×{kernelWidth}.");
        }
        if (inHeight + padTop + padBottom < kernelHeight || inWidth + padLeft + padRight < kernelWidth)
        {
            throw new ArgumentException(
                $"Pooling window {kernelHeight}×{kernelWidth} does not fit in the padded input {inHeight + padTop + padBottom}×{inWidth + padLeft + padRight}.");
        }
        Batch = batch;
        Channels = channels;
        InHeight = inHeight;
        InWidth = inWidth;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        PadTop = padTop;
        PadLeft = padLeft;
        PadBottom = padBottom;
        PadRight = padRight;
        OutHeight = (inHeight + padTop + padBottom - kernelHeight) / strideHeight + 1;
        OutWidth = (inWidth + padLeft + padRight - kernelWidth) / strideWidth + 1;
    }

    /// <summary>N.</summary>
    public int Batch { get; }
    /// <summary>C.</summary>
    public int Channels { get; }
    /// <summary>H.</summary>
    public int InHeight { get; }
    /// <summary>W.</summary>
    public int InWidth { get; }
    /// <summary>Window height.</summary>
    public int KernelHeight { get; }
    /// <summary>Window width.</summary>
    public int KernelWidth { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }
    /// <summary>Padding rows above.</summary>
    public int PadTop { get; }
    /// <summary>Padding columns left.</summary>
    public int PadLeft { get; }
    /// <summary>Padding rows below.</summary>
    public int PadBottom { get; }
    /// <summary>Padding columns right.</summary>
    public int PadRight { get; }
    /// <summary>OH.</summary>
    public int OutHeight { get; }
    /// <summary>OW.</summary>
    public int OutWidth { get; }
    /// <summary>N·C·H·W.</summary>
    public int InputLength => Batch * Channels * InHeight * InWidth;
    /// <summary>N·C·OH·OW.</summary>
    public int OutputLength => Batch * Channels * OutHeight * OutWidth;
    /// <summary>The output shape [N, C, OH, OW].</summary>
    public int[] OutputShape => [Batch, Channels, OutHeight, OutWidth];

    /// <inheritdoc />
    public override string ToString() =>
        $"pool [N {Batch}, C {Channels}, {InHeight}×{InWidth}] → {OutHeight}×{OutWidth} window {KernelHeight}×{KernelWidth} " +
        $"stride {StrideHeight}×{StrideWidth} pad (t {PadTop}, l {PadLeft}, b {PadBottom}, r {PadRight})";
}
