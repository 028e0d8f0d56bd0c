using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Unfolds image patches into the columns of a matrix (im2col) and folds them back with accumulation (col2im),
/// so that a convolution becomes one matrix product. Row (c, kh, kw) of the matrix holds, for each output pixel,
/// the input value that kernel tap multiplies (0 in the padding).
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>
    /// Writes the [Cg·kH·kW, OH·OW] patch matrix of the <c>C/groups</c> input planes at <paramref name="x"/> into
    /// <paramref name="col"/>, whose rows are <paramref name="ldcol"/> floats apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfold(in ConvGeometry g, float* x, float* col, int ldcol)
    {
        int cg = g.InChannelsPerGroup, h = g.InHeight, w = g.InWidth, oh = g.OutHeight, ow = g.OutWidth;
        int sh = g.StrideHeight, sw = g.StrideWidth, dh = g.DilationHeight, dw = g.DilationWidth;
        int row = 0;
        for (int c = 0; c < cg; c++)
        {
            float* plane = x + (long)c * h * w;
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++, row++)
                {
                    float* dst = col + (long)row * ldcol;
                    int iw0 = kw * dw - g.PadLeft;
                    ValidRange(iw0, sw, w, ow, out int start, out int end);
                    for (int y = 0; y < oh; y++, dst += ow)
                    {
                        int ih = y * sh + kh * dh - g.PadTop;
                        if ((uint)ih >= (uint)h)
                        {
                            new Span<float>(dst, ow).Clear();
                            continue;
                        }
                        float* src = plane + (long)ih * w + iw0;
                        for (int i = 0; i < start; i++) dst[i] = 0;
                        if (sw == 1)
                        {
                            new ReadOnlySpan<float>(src + start, end - start).CopyTo(new Span<float>(dst + start, end - start));
                        }
                        else
                        {
                            for (int i = start; i < end; i++) dst[i] = src[i * sw];
                        }
                        for (int i = Math.Max(start, end); i < ow; i++) dst[i] = 0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds the [Cg·kH·kW, OH·OW] patch-gradient matrix at <paramref name="col"/> back onto the input planes at
    /// <paramref name="dx"/> (which the caller has initialised).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fold(in ConvGeometry g, float* col, int ldcol, float* dx)
    {
        int cg = g.InChannelsPerGroup, h = g.InHeight, w = g.InWidth, oh = g.OutHeight, ow = g.OutWidth;
        int sh = g.StrideHeight, sw = g.StrideWidth, dh = g.DilationHeight, dw = g.DilationWidth;
        int row = 0;
        for (int c = 0; c < cg; c++)
        {
            float* plane = dx + (long)c * h * w;
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++, row++)
                {
                    float* src = col + (long)row * ldcol;
                    int iw0 = kw * dw - g.PadLeft;
                    ValidRange(iw0, sw, w, ow, out int start, out int end);
                    if (end <= start) continue;
                    for (int y = 0; y < oh; y++, src += ow)
                    {
                        int ih = y * sh + kh * dh - g.PadTop;
                        if ((uint)ih >= (uint)h) continue;
                        float* dst = plane + (long)ih * w + iw0;
                        if (sw == 1)
                        {
                            var d = new Span<float>(dst + start, end - start);
                            System.Numerics.Tensors.TensorPrimitives.Add(d, new ReadOnlySpan<float>(src + start, end - start), d);
                        }
                        else
                        {
                            for (int i = start; i < end; i++) dst[i * sw] += src[i];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Output columns [start, end) whose input column iw0 + i·stride lies inside [0, width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ValidRange(int iw0, int stride, int width, int outWidth, out int start, out int end)
    {
        start = iw0 >= 0 ? 0 : (-iw0 + stride - 1) / stride;
        end = iw0 > width - 1 ? 0 : (width - 1 - iw0) / stride + 1;
        if (start > outWidth) start = outWidth;
        if (end > outWidth) end = outWidth;
        if (end < start) end = start;
    }
}
