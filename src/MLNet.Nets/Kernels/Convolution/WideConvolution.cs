using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static MLNet.Nets.Kernels.PhaseBuffer;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Stride-1 direct convolution on the "wide" output grid: with each input plane zero-padded into rows exactly
/// W' = OW + (kW − 1)·dilation wide, output (oh, ow) reads input at flat index oh·W' + ow + (kernel tap offset), so a
/// whole output plane (computed W' wide, the extra columns discarded) is one flat run of vectors. That lets the
/// kernel keep 2 output channels × 6 vectors = 12 accumulators in registers whatever the image width — the shape of
/// small-channel layers such as LeNet's second convolution. The data gradient scatters on the same grid: for each
/// input channel and tap, the contributions of all output channels are summed in registers before one
/// read-modify-write of the padded input-gradient buffer.
/// </summary>
internal static unsafe class WideConvolution
{
    private const int V = PhaseLayout.V;
    private const int Block = 6;

    /// <summary>True for the shapes this kernel handles: stride 1 and padding that the data gradient can invert.</summary>
    public static bool Suits(in ConvGeometry g) =>
        g.StrideHeight == 1 && g.StrideWidth == 1 &&
        g.PadTop <= (g.KernelHeight - 1) * g.DilationHeight && g.PadBottom <= (g.KernelHeight - 1) * g.DilationHeight &&
        g.PadLeft <= (g.KernelWidth - 1) * g.DilationWidth && g.PadRight <= (g.KernelWidth - 1) * g.DilationWidth;

    public static void Forward(in ConvGeometry g, float* x, float* w, float* b, float* y)
    {
        var layout = new PhaseLayout(g, tight: true);
        var geometry = g;
        nint xp = (nint)x, wp = (nint)w, bp = (nint)b, yp = (nint)y;
        int parts = Math.Min(ParallelKernels.DegreeOfParallelism, g.Batch);
        ParallelKernels.For(parts, part =>
        {
            var (first, last) = KernelScratch.Range(geometry.Batch, parts, part);
            ForwardImages(geometry, layout, (float*)xp, (float*)wp, (float*)bp, (float*)yp, first, last);
        });
    }

    public static void BackwardData(in ConvGeometry g, float* dy, float* w, float* dx)
    {
        var layout = new PhaseLayout(g, tight: true);
        var geometry = g;
        nint dyp = (nint)dy, wp = (nint)w, dxp = (nint)dx;
        int parts = Math.Min(ParallelKernels.DegreeOfParallelism, g.Batch);
        ParallelKernels.For(parts, part =>
        {
            var (first, last) = KernelScratch.Range(geometry.Batch, parts, part);
            BackwardDataImages(geometry, layout, (float*)dyp, (float*)wp, (float*)dxp, first, last);
        });
    }

    public static void BackwardWeight(in ConvGeometry g, float* x, float* dy, float* dw)
    {
        var layout = new PhaseLayout(g, tight: true);
        var geometry = g;
        int wl = g.WeightLength;
        int parts = Math.Min(ParallelKernels.DegreeOfParallelism, g.Batch);
        float[] partials = KernelScratch.Rent((long)parts * wl);
        try
        {
            fixed (float* pp = partials)
            {
                nint xp = (nint)x, dyp = (nint)dy, ppp = (nint)pp;
                ParallelKernels.For(parts, part =>
                {
                    var (first, last) = KernelScratch.Range(geometry.Batch, parts, part);
                    float* target = (float*)ppp + (long)part * wl;
                    new Span<float>(target, wl).Clear();
                    BackwardWeightImages(geometry, layout, (float*)xp, (float*)dyp, target, first, last);
                });
                var sum = new Span<float>(dw, wl);
                new ReadOnlySpan<float>(pp, wl).CopyTo(sum);
                for (int p = 1; p < parts; p++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(sum, new ReadOnlySpan<float>(pp + (long)p * wl, wl), sum);
                }
            }
        }
        finally
        {
            KernelScratch.Return(partials);
        }
    }

    // Floats per channel buffer: the padded rows plus slack so the last vector of the flat sweep can over-read.
    private static int ChannelLength(in ConvGeometry g, in PhaseLayout l) =>
        (l.Rows * l.Width + (Block + 1) * V + (g.KernelWidth - 1) * g.DilationWidth + V - 1) / V * V;

    private static void FillChannels(in ConvGeometry g, in PhaseLayout l, float* x, int n, float* buffers, int len)
    {
        int hw = g.InHeight * g.InWidth, used = l.Rows * l.Width;
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            float* buf = buffers + (long)ci * len;
            PhaseLayout.Fill(g, l, x + ((long)n * g.InChannels + ci) * hw, buf);
            new Span<float>(buf + used, len - used).Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardImages(in ConvGeometry g, in PhaseLayout l, float* x, float* w, float* b, float* y, int first, int last)
    {
        int cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup, taps = g.KernelHeight * g.KernelWidth;
        int oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow, width = l.Width;
        // Whole blocks only: the sweep over-computes up to Block − 1 vectors into the buffers' slack rather than
        // finishing with a latency-bound single-vector loop.
        int vectors = ((oh * width + V - 1) / V + Block - 1) / Block * Block;
        int len = ChannelLength(g, l);
        float[] bufferArray = KernelScratch.Rent((long)g.InChannels * len + 2L * vectors * V);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        try
        {
            fixed (float* buffers = bufferArray)
            {
                float* wide0 = buffers + (long)g.InChannels * len;
                float* wide1 = wide0 + (long)vectors * V;
                for (int n = first; n < last; n++)
                {
                    FillChannels(g, l, x, n, buffers, len);
                    for (int k0 = 0; k0 < g.OutChannels; k0 += 2)
                    {
                        // Channels k0 and k1 share the group (kg is even or k1 repeats k0).
                        int k1 = k0 + 1 < g.OutChannels && (k0 + 1) / kg == k0 / kg ? k0 + 1 : k0;
                        int step = k1 == k0 ? 1 : 2;
                        float* src0 = buffers + (long)(k0 / kg) * cg * len;
                        float* w0 = w + (long)k0 * cg * taps;
                        float* w1 = w + (long)k1 * cg * taps;
                        float bias0 = b == null ? 0f : b[k0], bias1 = b == null ? 0f : b[k1];
                        int v = 0;
                        for (; v + Block <= vectors; v += Block)
                        {
                            var a0 = Vector256.Create(bias0);
                            var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0; var a5 = a0;
                            var c0 = Vector256.Create(bias1);
                            var c1 = c0; var c2 = c0; var c3 = c0; var c4 = c0; var c5 = c0;
                            for (int cc = 0; cc < cg; cc++)
                            {
                                float* src = src0 + (long)cc * len + v * V;
                                float* wa = w0 + cc * taps;
                                float* wb = w1 + cc * taps;
                                for (int t = 0; t < taps; t++)
                                {
                                    var u = Vector256.Create(wa[t]);
                                    var z = Vector256.Create(wb[t]);
                                    float* p = src + offsets[t];
                                    var d = Vector256.Load(p);
                                    a0 = Vector256.MultiplyAddEstimate(u, d, a0); c0 = Vector256.MultiplyAddEstimate(z, d, c0);
                                    d = Vector256.Load(p + V);
                                    a1 = Vector256.MultiplyAddEstimate(u, d, a1); c1 = Vector256.MultiplyAddEstimate(z, d, c1);
                                    d = Vector256.Load(p + 2 * V);
                                    a2 = Vector256.MultiplyAddEstimate(u, d, a2); c2 = Vector256.MultiplyAddEstimate(z, d, c2);
                                    d = Vector256.Load(p + 3 * V);
                                    a3 = Vector256.MultiplyAddEstimate(u, d, a3); c3 = Vector256.MultiplyAddEstimate(z, d, c3);
                                    d = Vector256.Load(p + 4 * V);
                                    a4 = Vector256.MultiplyAddEstimate(u, d, a4); c4 = Vector256.MultiplyAddEstimate(z, d, c4);
                                    d = Vector256.Load(p + 5 * V);
                                    a5 = Vector256.MultiplyAddEstimate(u, d, a5); c5 = Vector256.MultiplyAddEstimate(z, d, c5);
                                }
                            }
                            float* o0 = wide0 + v * V, o1 = wide1 + v * V;
                            a0.Store(o0); a1.Store(o0 + V); a2.Store(o0 + 2 * V); a3.Store(o0 + 3 * V); a4.Store(o0 + 4 * V); a5.Store(o0 + 5 * V);
                            c0.Store(o1); c1.Store(o1 + V); c2.Store(o1 + 2 * V); c3.Store(o1 + 3 * V); c4.Store(o1 + 4 * V); c5.Store(o1 + 5 * V);
                        }
                        for (; v < vectors; v++)
                        {
                            var a0 = Vector256.Create(bias0);
                            var c0 = Vector256.Create(bias1);
                            for (int cc = 0; cc < cg; cc++)
                            {
                                float* src = src0 + (long)cc * len + v * V;
                                float* wa = w0 + cc * taps;
                                float* wb = w1 + cc * taps;
                                for (int t = 0; t < taps; t++)
                                {
                                    var d = Vector256.Load(src + offsets[t]);
                                    a0 = Vector256.MultiplyAddEstimate(Vector256.Create(wa[t]), d, a0);
                                    c0 = Vector256.MultiplyAddEstimate(Vector256.Create(wb[t]), d, c0);
                                }
                            }
                            a0.Store(wide0 + v * V);
                            c0.Store(wide1 + v * V);
                        }
                        for (int s = 0; s < step; s++)
                        {
                            float* wide = s == 0 ? wide0 : wide1;
                            float* yk = y + ((long)n * g.OutChannels + k0 + s) * ohw;
                            for (int row = 0; row < oh; row++)
                            {
                                new ReadOnlySpan<float>(wide + (long)row * width, ow).CopyTo(new Span<float>(yk + (long)row * ow, ow));
                            }
                        }
                        k0 += step - 2;
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(bufferArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardDataImages(in ConvGeometry g, in PhaseLayout l, float* dy, float* w, float* dx, int first, int last)
    {
        int c = g.InChannels, k = g.OutChannels, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        int taps = g.KernelHeight * g.KernelWidth, hw = g.InHeight * g.InWidth;
        int oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow, width = l.Width;
        int vectors = ((oh * width + V - 1) / V + Block - 1) / Block * Block, span = vectors * V;
        int len = ChannelLength(g, l);
        float[] bufferArray = KernelScratch.Rent((long)len + (long)k * span);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        try
        {
            fixed (float* buffers = bufferArray)
            {
                float* dbuf = buffers;
                float* wides = buffers + len;
                for (int n = first; n < last; n++)
                {
                    // dy of every output channel on the wide grid, zero in the discarded columns and the tail.
                    new Span<float>(wides, k * span).Clear();
                    for (int kk = 0; kk < k; kk++)
                    {
                        float* dyk = dy + ((long)n * k + kk) * ohw;
                        float* wide = wides + (long)kk * span;
                        for (int row = 0; row < oh; row++)
                        {
                            new ReadOnlySpan<float>(dyk + (long)row * ow, ow).CopyTo(new Span<float>(wide + (long)row * width, ow));
                        }
                    }
                    for (int ci = 0; ci < c; ci++)
                    {
                        int grp = ci / cg, cc = ci % cg;
                        new Span<float>(dbuf, len).Clear();
                        float* wide0 = wides + (long)grp * kg * span;
                        float* w0 = w + ((long)grp * kg * cg + cc) * taps;
                        long wStride = (long)cg * taps;
                        for (int t = 0; t < taps; t++)
                        {
                            float* target = dbuf + offsets[t];
                            for (int v = 0; v < span; v += Block * V)
                            {
                                var a0 = Vector256<float>.Zero;
                                var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0; var a5 = a0;
                                float* src = wide0 + v;
                                float* wt = w0 + t;
                                for (int kk = 0; kk < kg; kk++, src += span, wt += wStride)
                                {
                                    var u = Vector256.Create(*wt);
                                    a0 = Vector256.MultiplyAddEstimate(u, Vector256.Load(src), a0);
                                    a1 = Vector256.MultiplyAddEstimate(u, Vector256.Load(src + V), a1);
                                    a2 = Vector256.MultiplyAddEstimate(u, Vector256.Load(src + 2 * V), a2);
                                    a3 = Vector256.MultiplyAddEstimate(u, Vector256.Load(src + 3 * V), a3);
                                    a4 = Vector256.MultiplyAddEstimate(u, Vector256.Load(src + 4 * V), a4);
                                    a5 = Vector256.MultiplyAddEstimate(u, Vector256.Load(src + 5 * V), a5);
                                }
                                float* q = target + v;
                                (Vector256.Load(q) + a0).Store(q);
                                (Vector256.Load(q + V) + a1).Store(q + V);
                                (Vector256.Load(q + 2 * V) + a2).Store(q + 2 * V);
                                (Vector256.Load(q + 3 * V) + a3).Store(q + 3 * V);
                                (Vector256.Load(q + 4 * V) + a4).Store(q + 4 * V);
                                (Vector256.Load(q + 5 * V) + a5).Store(q + 5 * V);
                            }
                        }
                        PhaseLayout.Fold(g, l, dbuf, dx + ((long)n * c + ci) * hw);
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(bufferArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardWeightImages(in ConvGeometry g, in PhaseLayout l, float* x, float* dy, float* dw, int first, int last)
    {
        int c = g.InChannels, k = g.OutChannels, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        int taps = g.KernelHeight * g.KernelWidth;
        int oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow, width = l.Width;
        int span = (oh * width + V - 1) / V * V;
        int len = ChannelLength(g, l);
        // Several images' buffers at once (about 1 MB), so each tap's accumulators run over all of them before the
        // horizontal sums: a few long sweeps instead of many short ones.
        long perImage = (long)c * len + (long)k * span;
        int block = (int)Math.Clamp((1L << 18) / perImage, 1, Math.Max(1, last - first));
        float[] bufferArray = KernelScratch.Rent(block * perImage);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        try
        {
            fixed (float* buffers = bufferArray)
            {
                float* wides = buffers + (long)block * c * len;
                for (int n0 = first; n0 < last; n0 += block)
                {
                    int count = Math.Min(block, last - n0);
                    for (int i = 0; i < count; i++)
                    {
                        FillChannels(g, l, x, n0 + i, buffers + (long)i * c * len, len);
                        for (int kk = 0; kk < k; kk++)
                        {
                            // dy on the wide grid, zero in the discarded columns so they add nothing.
                            float* wide = wides + ((long)i * k + kk) * span;
                            new Span<float>(wide, span).Clear();
                            float* dyk = dy + ((long)(n0 + i) * k + kk) * ohw;
                            for (int row = 0; row < oh; row++)
                            {
                                new ReadOnlySpan<float>(dyk + (long)row * ow, ow).CopyTo(new Span<float>(wide + (long)row * width, ow));
                            }
                        }
                    }
                    long imageStride = (long)c * len, wideStride = (long)k * span;
                    // Two output channels × four taps per sweep: 8 accumulators fed by 4 input and 2 gradient loads,
                    // few enough pointers to stay in registers.
                    for (int k0 = 0; k0 < k; k0 += 2)
                    {
                        int k1 = k0 + 1 < k && (k0 + 1) / kg == k0 / kg ? k0 + 1 : k0;
                        for (int cc = 0; cc < cg; cc++)
                        {
                            float* buf0 = buffers + (long)((k0 / kg) * cg + cc) * len;
                            float* wideA = wides + (long)k0 * span;
                            float* wideB = wides + (long)k1 * span;
                            float* dwA = dw + ((long)k0 * cg + cc) * taps;
                            float* dwB = dw + ((long)k1 * cg + cc) * taps;
                            for (int t0 = 0; t0 < taps; t0 += 4)
                            {
                                int o0 = offsets[t0];
                                int o1 = offsets[Math.Min(t0 + 1, taps - 1)];
                                int o2 = offsets[Math.Min(t0 + 2, taps - 1)];
                                int o3 = offsets[Math.Min(t0 + 3, taps - 1)];
                                var a0 = Vector256<float>.Zero;
                                var a1 = a0; var a2 = a0; var a3 = a0; var b0 = a0; var b1 = a0; var b2 = a0; var b3 = a0;
                                for (int i = 0; i < count; i++)
                                {
                                    float* buf = buf0 + i * imageStride;
                                    float* da = wideA + i * wideStride;
                                    float* db = wideB + i * wideStride;
                                    for (int v = 0; v < span; v += V)
                                    {
                                        var ga = Vector256.Load(da + v);
                                        var gb = Vector256.Load(db + v);
                                        float* p = buf + v;
                                        var x0 = Vector256.Load(p + o0);
                                        a0 = Vector256.MultiplyAddEstimate(ga, x0, a0); b0 = Vector256.MultiplyAddEstimate(gb, x0, b0);
                                        var x1 = Vector256.Load(p + o1);
                                        a1 = Vector256.MultiplyAddEstimate(ga, x1, a1); b1 = Vector256.MultiplyAddEstimate(gb, x1, b1);
                                        var x2 = Vector256.Load(p + o2);
                                        a2 = Vector256.MultiplyAddEstimate(ga, x2, a2); b2 = Vector256.MultiplyAddEstimate(gb, x2, b2);
                                        var x3 = Vector256.Load(p + o3);
                                        a3 = Vector256.MultiplyAddEstimate(ga, x3, a3); b3 = Vector256.MultiplyAddEstimate(gb, x3, b3);
                                    }
                                }
                                int count4 = Math.Min(4, taps - t0);
                                dwA[t0] += Vector256.Sum(a0);
                                if (count4 > 1) dwA[t0 + 1] += Vector256.Sum(a1);
                                if (count4 > 2) dwA[t0 + 2] += Vector256.Sum(a2);
                                if (count4 > 3) dwA[t0 + 3] += Vector256.Sum(a3);
                                if (k1 != k0)
                                {
                                    dwB[t0] += Vector256.Sum(b0);
                                    if (count4 > 1) dwB[t0 + 1] += Vector256.Sum(b1);
                                    if (count4 > 2) dwB[t0 + 2] += Vector256.Sum(b2);
                                    if (count4 > 3) dwB[t0 + 3] += Vector256.Sum(b3);
                                }
                            }
                        }
                        if (k1 == k0) k0--;
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(bufferArray);
        }
    }
}
