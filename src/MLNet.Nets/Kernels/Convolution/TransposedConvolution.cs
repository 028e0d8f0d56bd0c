namespace MLNet.Nets.Kernels;

/// <summary>
/// Transposed 2-D convolution ("deconvolution", PyTorch's <c>conv_transpose2d</c>): the data gradient of a
/// convolution used as a forward pass. Input [N, Cin, H, W], weight [Cin, Cout/groups, kH, kW] (PyTorch's layout),
/// output [N, Cout, OH, OW] with OH = (H − 1)·stride − padTop − padBottom + dilation·(kH − 1) + outputPadding + 1.
/// </summary>
/// <remarks>
/// Every method takes the <see cref="ConvGeometry"/> of the <em>equivalent convolution</em>, the one whose input is
/// this layer's output and whose output is this layer's input (see <see cref="Geometry"/>): its input channels are
/// Cout, its output channels Cin, so its weight layout [Cin, Cout/groups, kH, kW] is exactly the transposed
/// convolution's weight.
/// </remarks>
public static class TransposedConvolution
{
    /// <summary>
    /// The equivalent convolution of a transposed convolution given PyTorch's arguments.
    /// </summary>
    /// <param name="batch">N.</param>
    /// <param name="inChannels">Cin, channels of the transposed convolution's input.</param>
    /// <param name="inHeight">H of the input.</param>
    /// <param name="inWidth">W of the input.</param>
    /// <param name="outChannels">Cout, channels of the output.</param>
    /// <param name="kernelHeight">kH.</param>
    /// <param name="kernelWidth">kW.</param>
    /// <param name="strideHeight">Vertical stride (upsampling factor); default 1.</param>
    /// <param name="strideWidth">Horizontal stride; default 1.</param>
    /// <param name="padTop">Rows removed from the top of the full output; default 0.</param>
    /// <param name="padLeft">Columns removed from the left; default 0.</param>
    /// <param name="padBottom">Rows removed from the bottom; default 0.</param>
    /// <param name="padRight">Columns removed from the right; default 0.</param>
    /// <param name="outputPaddingHeight">Extra rows added at the bottom (must be below the stride); default 0.</param>
    /// <param name="outputPaddingWidth">Extra columns added at the right (must be below the stride); default 0.</param>
    /// <param name="dilationHeight">Vertical dilation; default 1.</param>
    /// <param name="dilationWidth">Horizontal dilation; default 1.</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <exception cref="ArgumentException">A size is out of range or the output would be empty.</exception>
    public static ConvGeometry Geometry(int batch, int inChannels, int inHeight, int inWidth, int outChannels, int kernelHeight, int kernelWidth,
        int strideHeight = 1, int strideWidth = 1, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0,
        int outputPaddingHeight = 0, int outputPaddingWidth = 0, int dilationHeight = 1, int dilationWidth = 1, int groups = 1)
    {
        if (outputPaddingHeight < 0 || outputPaddingHeight >= Math.Max(1, strideHeight) ||
            outputPaddingWidth < 0 || outputPaddingWidth >= Math.Max(1, strideWidth))
        {
            throw new ArgumentException(
                $"Transposed convolution output padding ({outputPaddingHeight}, {outputPaddingWidth}) must be ≥ 0 and below the stride ({strideHeight}, {strideWidth}).");
        }
        if (inHeight < 1 || inWidth < 1)
        {
            throw new ArgumentException($"Transposed convolution input {inHeight}×{inWidth} must be at least 1×1.");
        }
        int outHeight = (inHeight - 1) * strideHeight - padTop - padBottom + dilationHeight * (kernelHeight - 1) + outputPaddingHeight + 1;
        int outWidth = (inWidth - 1) * strideWidth - padLeft - padRight + dilationWidth * (kernelWidth - 1) + outputPaddingWidth + 1;
        if (outHeight < 1 || outWidth < 1)
        {
            throw new ArgumentException(
                $"Transposed convolution of a {inHeight}×{inWidth} input with kernel {kernelHeight}×{kernelWidth}, stride {strideHeight}×{strideWidth} " +
                $"and padding (t {padTop}, l {padLeft}, b {padBottom}, r {padRight}) would have an empty {outHeight}×{outWidth} output.");
        }
        var g = new ConvGeometry(batch, outChannels, outHeight, outWidth, inChannels, kernelHeight, kernelWidth,
            strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, dilationHeight, dilationWidth, groups);
        if (g.OutHeight != inHeight || g.OutWidth != inWidth)
        {
            throw new ArgumentException($"Transposed convolution arguments do not invert to a {inHeight}×{inWidth} input: {g}.");
        }
        return g;
    }

    /// <summary>y = conv_transpose(x, w) + b.</summary>
    /// <param name="g">The equivalent convolution (see the class remarks).</param>
    /// <param name="input">x, [N, Cin, H, W] = the equivalent convolution's output shape.</param>
    /// <param name="weight">w, [Cin, Cout/groups, kH, kW].</param>
    /// <param name="bias">b, [Cout], or empty for no bias.</param>
    /// <param name="output">y, [N, Cout, OH, OW] = the equivalent convolution's input shape; overwritten.</param>
    public static void Forward(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        if (!bias.IsEmpty) Convolution.CheckLength(bias.Length, g.InChannels, "transposed convolution bias");
        Convolution.BackwardData(g, input, weight, output);
        if (bias.IsEmpty) return;
        int pixels = g.InHeight * g.InWidth;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int c = 0; c < g.InChannels; c++)
            {
                var plane = output.Slice((n * g.InChannels + c) * pixels, pixels);
                System.Numerics.Tensors.TensorPrimitives.Add(plane, bias[c], plane);
            }
        }
    }

    /// <summary>dx from dy: the equivalent convolution's forward pass.</summary>
    /// <param name="g">The equivalent convolution.</param>
    /// <param name="outputGradient">dy, [N, Cout, OH, OW].</param>
    /// <param name="weight">w, [Cin, Cout/groups, kH, kW].</param>
    /// <param name="inputGradient">dx, [N, Cin, H, W]; overwritten.</param>
    public static void BackwardData(in ConvGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient) =>
        Convolution.Forward(g, outputGradient, weight, ReadOnlySpan<float>.Empty, inputGradient);

    /// <summary>dw from x and dy, summed over the batch.</summary>
    /// <param name="g">The equivalent convolution.</param>
    /// <param name="input">x, [N, Cin, H, W].</param>
    /// <param name="outputGradient">dy, [N, Cout, OH, OW].</param>
    /// <param name="weightGradient">dw, [Cin, Cout/groups, kH, kW]; overwritten.</param>
    public static void BackwardWeight(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient) =>
        Convolution.BackwardWeight(g, outputGradient, input, weightGradient);

    /// <summary>db: dy summed over the batch and pixels of each output channel.</summary>
    /// <param name="g">The equivalent convolution.</param>
    /// <param name="outputGradient">dy, [N, Cout, OH, OW].</param>
    /// <param name="biasGradient">db, [Cout]; overwritten.</param>
    public static void BackwardBias(in ConvGeometry g, ReadOnlySpan<float> outputGradient, Span<float> biasGradient) =>
        Convolution.BackwardBias(g.Batch, g.InChannels, g.InHeight * g.InWidth, outputGradient, biasGradient);
}
