using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static MLNet.Nets.Kernels.PhaseBuffer;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Direct, vectorized convolution for layers with few input channels per group and small output planes (LeNet's
/// 6→16 5×5 on 14×14), where im2col would spend more time copying than a tiny matrix product saves. Each image's
/// input planes are copied once into phase-split, zero-padded buffers; every output vector then accumulates
/// (C/groups)·kH·kW multiply-adds in registers, four output rows at a time so each weight is broadcast once.
/// </summary>
internal static unsafe class DirectConvolution
{
    private const int V = PhaseLayout.V;

    /// <summary>True when the direct kernels are expected to beat im2col + GEMM for this shape.</summary>
    public static bool Suits(in ConvGeometry g) =>
        !g.IsPointwise && (long)g.OutHeight * g.OutWidth < 1024 && g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth <= 256;

    public static void Forward(in ConvGeometry g, float* x, float* w, float* b, float* y)
    {
        if (WideConvolution.Suits(g))
        {
            WideConvolution.Forward(g, x, w, b, y);
            return;
        }
        var layout = new PhaseLayout(g);
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
        if (WideConvolution.Suits(g))
        {
            WideConvolution.BackwardData(g, dy, w, dx);
            return;
        }
        var layout = new PhaseLayout(g);
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
        if (WideConvolution.Suits(g))
        {
            WideConvolution.BackwardWeight(g, x, dy, dw);
            return;
        }
        var layout = new PhaseLayout(g);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardImages(in ConvGeometry g, in PhaseLayout l, float* x, float* w, float* b, float* y, int first, int last)
    {
        int c = g.InChannels, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup, taps = g.KernelHeight * g.KernelWidth;
        int hw = g.InHeight * g.InWidth, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        long rowStep = (long)g.StrideHeight * l.Width;
        int len = l.Length;
        float[] bufferArray = KernelScratch.Rent((long)c * len);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        float* tail = stackalloc float[V];
        try
        {
            fixed (float* buffers = bufferArray)
            {
                for (int n = first; n < last; n++)
                {
                    for (int ci = 0; ci < c; ci++) PhaseLayout.Fill(g, l, x + ((long)n * c + ci) * hw, buffers + (long)ci * len);
                    for (int k = 0; k < g.OutChannels; k++)
                    {
                        float* groupBuffers = buffers + (long)(k / kg) * cg * len;
                        float* wk = w + (long)k * cg * taps;
                        float bias = b == null ? 0f : b[k];
                        float* yk = y + ((long)n * g.OutChannels + k) * ohw;
                        for (int j = 0; j < ow; j += V)
                        {
                            bool full = j + V <= ow;
                            int row = 0;
                            for (; row + 4 <= oh; row += 4)
                            {
                                var a0 = Vector256.Create(bias);
                                var a1 = a0;
                                var a2 = a0;
                                var a3 = a0;
                                for (int cc = 0; cc < cg; cc++)
                                {
                                    float* src = groupBuffers + (long)cc * len + row * rowStep + j;
                                    float* wc = wk + cc * taps;
                                    for (int t = 0; t < taps; t++)
                                    {
                                        var wv = Vector256.Create(wc[t]);
                                        float* p = src + offsets[t];
                                        a0 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p), a0);
                                        a1 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p + rowStep), a1);
                                        a2 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p + 2 * rowStep), a2);
                                        a3 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p + 3 * rowStep), a3);
                                    }
                                }
                                StoreRow(a0, yk + (long)row * ow + j, ow - j, full, tail);
                                StoreRow(a1, yk + (long)(row + 1) * ow + j, ow - j, full, tail);
                                StoreRow(a2, yk + (long)(row + 2) * ow + j, ow - j, full, tail);
                                StoreRow(a3, yk + (long)(row + 3) * ow + j, ow - j, full, tail);
                            }
                            for (; row < oh; row++)
                            {
                                var a0 = Vector256.Create(bias);
                                for (int cc = 0; cc < cg; cc++)
                                {
                                    float* src = groupBuffers + (long)cc * len + row * rowStep + j;
                                    float* wc = wk + cc * taps;
                                    for (int t = 0; t < taps; t++)
                                    {
                                        a0 = Vector256.MultiplyAddEstimate(Vector256.Create(wc[t]), Vector256.Load(src + offsets[t]), a0);
                                    }
                                }
                                StoreRow(a0, yk + (long)row * ow + j, ow - j, full, tail);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(bufferArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector256<float> v, float* dst, int remaining, bool full, float* tail)
    {
        if (full)
        {
            v.Store(dst);
            return;
        }
        v.Store(tail);
        for (int i = 0; i < remaining; i++) dst[i] = tail[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardDataImages(in ConvGeometry g, in PhaseLayout l, float* dy, float* w, float* dx, int first, int last)
    {
        int c = g.InChannels, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup, taps = g.KernelHeight * g.KernelWidth;
        int hw = g.InHeight * g.InWidth, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        long rowStep = (long)g.StrideHeight * l.Width;
        int len = l.Length, vectors = l.RoundedOut / V;
        float[] bufferArray = KernelScratch.Rent((long)c * len + (long)oh * l.RoundedOut);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        try
        {
            fixed (float* buffers = bufferArray)
            {
                float* dyCopy = buffers + (long)c * len;
                for (int n = first; n < last; n++)
                {
                    new Span<float>(buffers, c * len).Clear();
                    for (int k = 0; k < g.OutChannels; k++)
                    {
                        // A zero-tailed copy lets whole vectors scatter past the last column into the buffers' slack.
                        float* dyk = dy + ((long)n * g.OutChannels + k) * ohw;
                        for (int row = 0; row < oh; row++)
                        {
                            float* d = dyCopy + (long)row * l.RoundedOut;
                            new ReadOnlySpan<float>(dyk + (long)row * ow, ow).CopyTo(new Span<float>(d, ow));
                            for (int i = ow; i < l.RoundedOut; i++) d[i] = 0;
                        }
                        float* groupBuffers = buffers + (long)(k / kg) * cg * len;
                        float* wk = w + (long)k * cg * taps;
                        for (int cc = 0; cc < cg; cc++)
                        {
                            float* buf = groupBuffers + (long)cc * len;
                            float* wc = wk + cc * taps;
                            for (int t = 0; t < taps; t++)
                            {
                                var wv = Vector256.Create(wc[t]);
                                float* dstT = buf + offsets[t];
                                for (int row = 0; row < oh; row++)
                                {
                                    float* dst = dstT + row * rowStep;
                                    float* src = dyCopy + (long)row * l.RoundedOut;
                                    for (int v = 0; v < vectors; v++)
                                    {
                                        float* q = dst + v * V;
                                        Vector256.MultiplyAddEstimate(wv, Vector256.Load(src + v * V), Vector256.Load(q)).Store(q);
                                    }
                                }
                            }
                        }
                    }
                    for (int ci = 0; ci < c; ci++) PhaseLayout.Fold(g, l, buffers + (long)ci * len, dx + ((long)n * c + ci) * hw);
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
        int c = g.InChannels, cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup, taps = g.KernelHeight * g.KernelWidth;
        int hw = g.InHeight * g.InWidth, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        long rowStep = (long)g.StrideHeight * l.Width;
        int len = l.Length, vectors = l.RoundedOut / V;
        float[] bufferArray = KernelScratch.Rent((long)c * len + (long)oh * l.RoundedOut);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        Vector256<float>* acc = stackalloc Vector256<float>[taps];
        try
        {
            fixed (float* buffers = bufferArray)
            {
                float* dyCopy = buffers + (long)c * len;
                for (int n = first; n < last; n++)
                {
                    for (int ci = 0; ci < c; ci++) PhaseLayout.Fill(g, l, x + ((long)n * c + ci) * hw, buffers + (long)ci * len);
                    for (int k = 0; k < g.OutChannels; k++)
                    {
                        float* dyk = dy + ((long)n * g.OutChannels + k) * ohw;
                        for (int row = 0; row < oh; row++)
                        {
                            float* d = dyCopy + (long)row * l.RoundedOut;
                            new ReadOnlySpan<float>(dyk + (long)row * ow, ow).CopyTo(new Span<float>(d, ow));
                            for (int i = ow; i < l.RoundedOut; i++) d[i] = 0;
                        }
                        float* groupBuffers = buffers + (long)(k / kg) * cg * len;
                        for (int cc = 0; cc < cg; cc++)
                        {
                            float* buf = groupBuffers + (long)cc * len;
                            for (int t = 0; t < taps; t++) acc[t] = Vector256<float>.Zero;
                            for (int row = 0; row < oh; row++)
                            {
                                float* src = buf + row * rowStep;
                                float* drow = dyCopy + (long)row * l.RoundedOut;
                                for (int v = 0; v < vectors; v++)
                                {
                                    var dv = Vector256.Load(drow + v * V);
                                    float* p = src + v * V;
                                    for (int t = 0; t < taps; t++)
                                    {
                                        acc[t] = Vector256.MultiplyAddEstimate(dv, Vector256.Load(p + offsets[t]), acc[t]);
                                    }
                                }
                            }
                            float* dwk = dw + ((long)k * cg + cc) * taps;
                            for (int t = 0; t < taps; t++) dwk[t] += Vector256.Sum(acc[t]);
                        }
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
