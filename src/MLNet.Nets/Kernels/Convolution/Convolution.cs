using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// 2-D convolution (cross-correlation, as in PyTorch and TensorFlow) on NCHW float tensors: forward, data gradient,
/// weight gradient and bias gradient. Shapes are described by a <see cref="ConvGeometry"/>; weights use PyTorch's
/// layout [K, C/groups, kH, kW].
/// </summary>
/// <remarks>
/// Paths, chosen per shape: depthwise convolutions (groups = C) go to <see cref="DepthwiseConvolution"/>; layers with
/// few input channels per group and small output planes (LeNet's) run a direct vectorized kernel (stride 1 on a
/// "wide" output grid, other strides row by row) because im2col would cost more than the tiny matrix product saves;
/// 1×1 stride-1 convolutions are one matrix product per image; everything else is im2col + <see cref="Gemm.Sgemm"/>,
/// batching several images per product when output planes are small so the product stays large.
/// Work is spread over the cores with <see cref="ParallelKernels.For"/>; scratch comes from a pool, so steady-state
/// calls do not allocate arrays.
/// </remarks>
public static unsafe class Convolution
{
    // Aim for at least this many GEMM columns (images × output pixels) per matrix product.
    private const int TargetColumns = 1024;
    // Cap on an im2col block (floats) so that batching images does not blow the caches wide open.
    private const long MaxBlockFloats = 1L << 21;

    /// <summary>
    /// y = conv(x, w) + b.
    /// </summary>
    /// <param name="g">The convolution's shape.</param>
    /// <param name="input">x, [N, C, H, W].</param>
    /// <param name="weight">w, [K, C/groups, kH, kW].</param>
    /// <param name="bias">b, [K], or empty for no bias.</param>
    /// <param name="output">y, [N, K, OH, OW]; overwritten.</param>
    public static void Forward(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        CheckLength(input.Length, g.InputLength, "input");
        CheckLength(weight.Length, g.WeightLength, "weight");
        if (!bias.IsEmpty) CheckLength(bias.Length, g.OutChannels, "bias");
        CheckLength(output.Length, g.OutputLength, "output");
        if (g.Batch == 0) return;
        if (UseDepthwise(g))
        {
            DepthwiseConvolution.Forward(g, input, weight, bias, output);
            return;
        }
        fixed (float* x = input, w = weight, b = bias, y = output)
        {
            if (UseDirect(g))
            {
                DirectConvolution.Forward(g, x, w, bias.IsEmpty ? null : b, y);
                return;
            }
            var geometry = g;
            nint xp = (nint)x, wp = (nint)w, bp = bias.IsEmpty ? 0 : (nint)b, yp = (nint)y;
            int nb = ImagesPerBlock(g);
            int blocks = (g.Batch + nb - 1) / nb;
            int parts = Math.Min(ParallelKernels.DegreeOfParallelism, blocks);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(blocks, parts, part);
                ForwardBlocks(geometry, (float*)xp, (float*)wp, (float*)bp, (float*)yp, nb, first, last);
            });
        }
    }

    /// <summary>
    /// dx = dLoss/dx given dy = dLoss/dy.
    /// </summary>
    /// <param name="g">The convolution's shape.</param>
    /// <param name="outputGradient">dy, [N, K, OH, OW].</param>
    /// <param name="weight">w, [K, C/groups, kH, kW].</param>
    /// <param name="inputGradient">dx, [N, C, H, W]; overwritten.</param>
    public static void BackwardData(in ConvGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient)
    {
        CheckLength(outputGradient.Length, g.OutputLength, "output gradient");
        CheckLength(weight.Length, g.WeightLength, "weight");
        CheckLength(inputGradient.Length, g.InputLength, "input gradient");
        if (g.Batch == 0) return;
        if (UseDepthwise(g))
        {
            DepthwiseConvolution.BackwardData(g, outputGradient, weight, inputGradient);
            return;
        }
        fixed (float* dy = outputGradient, w = weight, dx = inputGradient)
        {
            if (UseDirect(g))
            {
                DirectConvolution.BackwardData(g, dy, w, dx);
                return;
            }
            var geometry = g;
            nint dyp = (nint)dy, wp = (nint)w, dxp = (nint)dx;
            int nb = ImagesPerBlock(g);
            int blocks = (g.Batch + nb - 1) / nb;
            int parts = Math.Min(ParallelKernels.DegreeOfParallelism, blocks);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(blocks, parts, part);
                BackwardDataBlocks(geometry, (float*)dyp, (float*)wp, (float*)dxp, nb, first, last);
            });
        }
    }

    /// <summary>
    /// dw = dLoss/dw given x and dy = dLoss/dy, summed over the batch.
    /// </summary>
    /// <param name="g">The convolution's shape.</param>
    /// <param name="input">x, [N, C, H, W].</param>
    /// <param name="outputGradient">dy, [N, K, OH, OW].</param>
    /// <param name="weightGradient">dw, [K, C/groups, kH, kW]; overwritten.</param>
    public static void BackwardWeight(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient)
    {
        CheckLength(input.Length, g.InputLength, "input");
        CheckLength(outputGradient.Length, g.OutputLength, "output gradient");
        CheckLength(weightGradient.Length, g.WeightLength, "weight gradient");
        if (g.Batch == 0)
        {
            weightGradient.Clear();
            return;
        }
        if (UseDepthwise(g))
        {
            DepthwiseConvolution.BackwardWeight(g, input, outputGradient, weightGradient);
            return;
        }
        if (UseDirect(g))
        {
            fixed (float* x = input, dy = outputGradient, dw = weightGradient)
            {
                DirectConvolution.BackwardWeight(g, x, dy, dw);
            }
            return;
        }
        int nb = ImagesPerBlock(g);
        int blocks = (g.Batch + nb - 1) / nb;
        int parts = Math.Min(ParallelKernels.DegreeOfParallelism, blocks);
        int wl = g.WeightLength;
        // Part 0 writes straight into dw; the others into partial sums added at the end.
        float[] partials = KernelScratch.Rent((long)(parts - 1) * wl);
        try
        {
            fixed (float* x = input, dy = outputGradient, dw = weightGradient, pp = partials)
            {
                var geometry = g;
                nint xp = (nint)x, dyp = (nint)dy, dwp = (nint)dw, ppp = (nint)pp;
                ParallelKernels.For(parts, part =>
                {
                    var (first, last) = KernelScratch.Range(blocks, parts, part);
                    float* target = part == 0 ? (float*)dwp : (float*)ppp + (long)(part - 1) * wl;
                    BackwardWeightBlocks(geometry, (float*)xp, (float*)dyp, target, nb, first, last);
                });
                var sum = new Span<float>(dw, wl);
                for (int p = 1; p < parts; p++)
                {
                    TensorPrimitives.Add(sum, new ReadOnlySpan<float>(pp + (long)(p - 1) * wl, wl), sum);
                }
            }
        }
        finally
        {
            KernelScratch.Return(partials);
        }
    }

    /// <summary>
    /// db = dLoss/db: dy summed over the batch and the output pixels of each channel.
    /// </summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">K, output channels.</param>
    /// <param name="pixels">OH·OW (or the length of the spatial axes for any rank).</param>
    /// <param name="outputGradient">dy, [N, K, pixels].</param>
    /// <param name="biasGradient">db, [K]; overwritten.</param>
    public static void BackwardBias(int batch, int channels, int pixels, ReadOnlySpan<float> outputGradient, Span<float> biasGradient)
    {
        CheckLength(outputGradient.Length, (long)batch * channels * pixels, "output gradient");
        CheckLength(biasGradient.Length, channels, "bias gradient");
        fixed (float* dy = outputGradient, db = biasGradient)
        {
            nint dyp = (nint)dy, dbp = (nint)db;
            int parts = Math.Min(ParallelKernels.DegreeOfParallelism, Math.Max(1, (int)Math.Min(channels, (long)batch * channels * pixels / 16384)));
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(channels, parts, part);
                for (int k = first; k < last; k++)
                {
                    double s = 0;
                    for (int n = 0; n < batch; n++)
                    {
                        s += TensorPrimitives.Sum(new ReadOnlySpan<float>((float*)dyp + ((long)n * channels + k) * pixels, pixels));
                    }
                    ((float*)dbp)[k] = (float)s;
                }
            });
        }
    }

    /// <summary><see cref="BackwardBias(int, int, int, ReadOnlySpan{float}, Span{float})"/> for a convolution's output.</summary>
    public static void BackwardBias(in ConvGeometry g, ReadOnlySpan<float> outputGradient, Span<float> biasGradient) =>
        BackwardBias(g.Batch, g.OutChannels, g.OutHeight * g.OutWidth, outputGradient, biasGradient);

    /// <summary>Lets tests force the im2col path (false) on shapes that would otherwise run direct.</summary>
    internal static bool DirectEnabled { get; set; } = true;

    // Single-input-channel layers (LeNet's first) are "depthwise" too, but the wide stride-1 kernel serves them better.
    private static bool UseDirect(in ConvGeometry g) =>
        DirectEnabled && DirectConvolution.Suits(g) && (!g.IsDepthwise || g.Groups == 1 && WideConvolution.Suits(g));

    private static bool UseDepthwise(in ConvGeometry g) => g.IsDepthwise && !UseDirect(g);

    internal static int ImagesPerBlock(in ConvGeometry g)
    {
        int pixels = g.OutHeight * g.OutWidth;
        if (pixels >= TargetColumns) return 1;
        int rows = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
        int perThread = (g.Batch + ParallelKernels.DegreeOfParallelism - 1) / ParallelKernels.DegreeOfParallelism;
        int nb = (TargetColumns + pixels - 1) / pixels;
        nb = (int)Math.Min(nb, Math.Max(1, MaxBlockFloats / Math.Max(1L, (long)rows * pixels)));
        return Math.Max(1, Math.Min(nb, perThread));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlocks(in ConvGeometry g, float* x, float* w, float* b, float* y, int nb, int firstBlock, int lastBlock)
    {
        int groups = g.Groups, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        int hw = g.InHeight * g.InWidth, ohw = g.OutHeight * g.OutWidth;
        int rows = cg * g.KernelHeight * g.KernelWidth;
        bool direct = g.IsPointwise;
        long colLen = direct && nb == 1 ? 0 : (long)rows * nb * ohw;
        long tmpLen = nb == 1 ? 0 : (long)kg * nb * ohw;
        float[] colArray = KernelScratch.Rent(colLen);
        float[] tmpArray = KernelScratch.Rent(tmpLen);
        try
        {
            fixed (float* col = colArray, tmp = tmpArray)
            {
                for (int block = firstBlock; block < lastBlock; block++)
                {
                    int n0 = block * nb;
                    int count = Math.Min(nb, g.Batch - n0);
                    int ld = count * ohw;
                    for (int gi = 0; gi < groups; gi++)
                    {
                        float* wg = w + (long)gi * kg * rows;
                        float* bmat;
                        if (direct && count == 1)
                        {
                            bmat = x + ((long)n0 * g.InChannels + (long)gi * cg) * hw;
                        }
                        else
                        {
                            for (int i = 0; i < count; i++)
                            {
                                Im2Col.Unfold(g, x + ((long)(n0 + i) * g.InChannels + (long)gi * cg) * hw, col + (long)i * ohw, ld);
                            }
                            bmat = col;
                        }
                        float* dst = count == 1 ? y + ((long)n0 * g.OutChannels + (long)gi * kg) * ohw : tmp;
                        Gemm.Sgemm(false, false, kg, ld, rows, 1f,
                            new ReadOnlySpan<float>(wg, kg * rows), rows,
                            new ReadOnlySpan<float>(bmat, rows * ld), ld,
                            0f, new Span<float>(dst, kg * ld), ld);
                        for (int i = 0; i < count; i++)
                        {
                            float* yi = y + ((long)(n0 + i) * g.OutChannels + (long)gi * kg) * ohw;
                            for (int k = 0; k < kg; k++)
                            {
                                var plane = new Span<float>(yi + (long)k * ohw, ohw);
                                if (count > 1) new ReadOnlySpan<float>(tmp + (long)k * ld + (long)i * ohw, ohw).CopyTo(plane);
                                if (b != null) TensorPrimitives.Add(plane, b[gi * kg + k], plane);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(tmpArray);
            KernelScratch.Return(colArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardDataBlocks(in ConvGeometry g, float* dy, float* w, float* dx, int nb, int firstBlock, int lastBlock)
    {
        int groups = g.Groups, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        int hw = g.InHeight * g.InWidth, ohw = g.OutHeight * g.OutWidth;
        int rows = cg * g.KernelHeight * g.KernelWidth;
        bool direct = g.IsPointwise;
        long colLen = direct && nb == 1 ? 0 : (long)rows * nb * ohw;
        long tmpLen = nb == 1 ? 0 : (long)kg * nb * ohw;
        float[] colArray = KernelScratch.Rent(colLen);
        float[] tmpArray = KernelScratch.Rent(tmpLen);
        try
        {
            fixed (float* col = colArray, tmp = tmpArray)
            {
                for (int block = firstBlock; block < lastBlock; block++)
                {
                    int n0 = block * nb;
                    int count = Math.Min(nb, g.Batch - n0);
                    int ld = count * ohw;
                    for (int gi = 0; gi < groups; gi++)
                    {
                        float* wg = w + (long)gi * kg * rows;
                        float* dyb = GatherBlock(g, dy, tmp, n0, count, gi);
                        float* dx0 = dx + ((long)n0 * g.InChannels + (long)gi * cg) * hw;
                        if (direct && count == 1)
                        {
                            Gemm.Sgemm(true, false, cg, hw, kg, 1f,
                                new ReadOnlySpan<float>(wg, kg * rows), rows,
                                new ReadOnlySpan<float>(dyb, kg * ld), ld,
                                0f, new Span<float>(dx0, cg * hw), hw);
                            continue;
                        }
                        Gemm.Sgemm(true, false, rows, ld, kg, 1f,
                            new ReadOnlySpan<float>(wg, kg * rows), rows,
                            new ReadOnlySpan<float>(dyb, kg * ld), ld,
                            0f, new Span<float>(col, rows * ld), ld);
                        for (int i = 0; i < count; i++)
                        {
                            float* dxi = dx + ((long)(n0 + i) * g.InChannels + (long)gi * cg) * hw;
                            if (direct)
                            {
                                for (int c = 0; c < cg; c++)
                                {
                                    new ReadOnlySpan<float>(col + (long)c * ld + (long)i * ohw, hw).CopyTo(new Span<float>(dxi + (long)c * hw, hw));
                                }
                            }
                            else
                            {
                                new Span<float>(dxi, cg * hw).Clear();
                                Im2Col.Fold(g, col + (long)i * ohw, ld, dxi);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(tmpArray);
            KernelScratch.Return(colArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardWeightBlocks(in ConvGeometry g, float* x, float* dy, float* dw, int nb, int firstBlock, int lastBlock)
    {
        int groups = g.Groups, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        int hw = g.InHeight * g.InWidth, ohw = g.OutHeight * g.OutWidth;
        int rows = cg * g.KernelHeight * g.KernelWidth;
        bool direct = g.IsPointwise;
        if (firstBlock >= lastBlock)
        {
            new Span<float>(dw, g.WeightLength).Clear();
            return;
        }
        long colLen = direct && nb == 1 ? 0 : (long)rows * nb * ohw;
        long tmpLen = nb == 1 ? 0 : (long)kg * nb * ohw;
        float[] colArray = KernelScratch.Rent(colLen);
        float[] tmpArray = KernelScratch.Rent(tmpLen);
        try
        {
            fixed (float* col = colArray, tmp = tmpArray)
            {
                for (int block = firstBlock; block < lastBlock; block++)
                {
                    int n0 = block * nb;
                    int count = Math.Min(nb, g.Batch - n0);
                    int ld = count * ohw;
                    float beta = block == firstBlock ? 0f : 1f;
                    for (int gi = 0; gi < groups; gi++)
                    {
                        float* dyb = GatherBlock(g, dy, tmp, n0, count, gi);
                        float* bmat;
                        if (direct && count == 1)
                        {
                            bmat = x + ((long)n0 * g.InChannels + (long)gi * cg) * hw;
                        }
                        else
                        {
                            for (int i = 0; i < count; i++)
                            {
                                Im2Col.Unfold(g, x + ((long)(n0 + i) * g.InChannels + (long)gi * cg) * hw, col + (long)i * ohw, ld);
                            }
                            bmat = col;
                        }
                        Gemm.Sgemm(false, true, kg, rows, ld, 1f,
                            new ReadOnlySpan<float>(dyb, kg * ld), ld,
                            new ReadOnlySpan<float>(bmat, rows * ld), ld,
                            beta, new Span<float>(dw + (long)gi * kg * rows, kg * rows), rows);
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(tmpArray);
            KernelScratch.Return(colArray);
        }
    }

    // The output gradient of images n0 .. n0 + count − 1, group gi, as a [Kg, count·OH·OW] matrix: in place for one
    // image, gathered into tmp for several.
    private static float* GatherBlock(in ConvGeometry g, float* dy, float* tmp, int n0, int count, int gi)
    {
        int kg = g.OutChannelsPerGroup, ohw = g.OutHeight * g.OutWidth;
        if (count == 1) return dy + ((long)n0 * g.OutChannels + (long)gi * kg) * ohw;
        int ld = count * ohw;
        for (int i = 0; i < count; i++)
        {
            float* src = dy + ((long)(n0 + i) * g.OutChannels + (long)gi * kg) * ohw;
            for (int k = 0; k < kg; k++)
            {
                new ReadOnlySpan<float>(src + (long)k * ohw, ohw).CopyTo(new Span<float>(tmp + (long)k * ld + (long)i * ohw, ohw));
            }
        }
        return tmp;
    }

    internal static void CheckLength(long actual, long expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Convolution {what} has {actual} elements but the geometry needs {expected}.");
        }
    }
}
