using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using static MLNet.Nets.Kernels.PhaseBuffer;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Direct, vectorized depthwise convolution (groups = C, K = C·multiplier): output channel k reads input channel
/// k / multiplier only. <see cref="Convolution"/> sends every depthwise geometry here; it can also be called directly.
/// </summary>
/// <remarks>
/// Each input plane is first copied, zero-padded and split by column phase (column mod stride) into a small buffer
/// that stays in L1/L2. Every kernel tap then reads a contiguous run of that buffer, so strided and padded
/// convolutions use full-width vector loads without bounds checks: the kernels make one pass over the input and
/// one over the output, which is what a memory-bound layer can afford.
/// </remarks>
public static unsafe class DepthwiseConvolution
{
    private const int V = PhaseLayout.V;

    /// <summary>y = depthwise-conv(x, w) + b; same arguments as <see cref="Convolution.Forward"/>.</summary>
    public static void Forward(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        CheckDepthwise(g);
        Convolution.CheckLength(input.Length, g.InputLength, "input");
        Convolution.CheckLength(weight.Length, g.WeightLength, "weight");
        if (!bias.IsEmpty) Convolution.CheckLength(bias.Length, g.OutChannels, "bias");
        Convolution.CheckLength(output.Length, g.OutputLength, "output");
        if (g.Batch == 0) return;
        var layout = new PhaseLayout(g);
        fixed (float* x = input, w = weight, b = bias, y = output)
        {
            var geometry = g;
            nint xp = (nint)x, wp = (nint)w, bp = bias.IsEmpty ? 0 : (nint)b, yp = (nint)y;
            int planes = g.Batch * g.InChannels;
            int parts = Parts(planes, g);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(planes, parts, part);
                ForwardPlanes(geometry, layout, (float*)xp, (float*)wp, (float*)bp, (float*)yp, first, last);
            });
        }
    }

    /// <summary>dx from dy; same arguments as <see cref="Convolution.BackwardData"/>.</summary>
    public static void BackwardData(in ConvGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient)
    {
        CheckDepthwise(g);
        Convolution.CheckLength(outputGradient.Length, g.OutputLength, "output gradient");
        Convolution.CheckLength(weight.Length, g.WeightLength, "weight");
        Convolution.CheckLength(inputGradient.Length, g.InputLength, "input gradient");
        if (g.Batch == 0) return;
        var layout = new PhaseLayout(g);
        fixed (float* dy = outputGradient, w = weight, dx = inputGradient)
        {
            var geometry = g;
            nint dyp = (nint)dy, wp = (nint)w, dxp = (nint)dx;
            int planes = g.Batch * g.InChannels;
            int parts = Parts(planes, g);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(planes, parts, part);
                BackwardDataPlanes(geometry, layout, (float*)dyp, (float*)wp, (float*)dxp, first, last);
            });
        }
    }

    /// <summary>dw from x and dy, summed over the batch; same arguments as <see cref="Convolution.BackwardWeight"/>.</summary>
    public static void BackwardWeight(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient)
    {
        CheckDepthwise(g);
        Convolution.CheckLength(input.Length, g.InputLength, "input");
        Convolution.CheckLength(outputGradient.Length, g.OutputLength, "output gradient");
        Convolution.CheckLength(weightGradient.Length, g.WeightLength, "weight gradient");
        weightGradient.Clear();
        if (g.Batch == 0) return;
        var layout = new PhaseLayout(g);
        int wl = g.WeightLength;
        // Split the batch when there are few channels (LeNet's 1-channel input), else split the channels.
        bool splitBatch = g.InChannels < 4 * ParallelKernels.DegreeOfParallelism;
        int items = splitBatch ? g.Batch : g.InChannels;
        int parts = Parts(g.Batch * g.InChannels, g, items);
        float[] partials = KernelScratch.Rent(splitBatch ? (long)parts * wl : 0);
        try
        {
            fixed (float* x = input, dy = outputGradient, dw = weightGradient, pp = partials)
            {
                var geometry = g;
                nint xp = (nint)x, dyp = (nint)dy, dwp = (nint)dw, ppp = (nint)pp;
                ParallelKernels.For(parts, part =>
                {
                    var (first, last) = KernelScratch.Range(items, parts, part);
                    if (splitBatch)
                    {
                        float* target = (float*)ppp + (long)part * wl;
                        new Span<float>(target, wl).Clear();
                        BackwardWeightRange(geometry, layout, (float*)xp, (float*)dyp, target, first, last, 0, geometry.InChannels);
                    }
                    else
                    {
                        BackwardWeightRange(geometry, layout, (float*)xp, (float*)dyp, (float*)dwp, 0, geometry.Batch, first, last);
                    }
                });
                if (splitBatch)
                {
                    var sum = new Span<float>(dw, wl);
                    for (int p = 0; p < parts; p++)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(sum, new ReadOnlySpan<float>(pp + (long)p * wl, wl), sum);
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(partials);
        }
    }

    private static int Parts(int planes, in ConvGeometry g, int items = int.MaxValue)
    {
        long work = (long)g.Batch * g.OutChannels * g.OutHeight * g.OutWidth * g.KernelHeight * g.KernelWidth;
        int parts = ParallelKernels.DegreeOfParallelism;
        if (work < 32768) parts = 1;
        return Math.Max(1, Math.Min(parts, Math.Min(planes, items)));
    }

    private static void CheckDepthwise(in ConvGeometry g)
    {
        if (!g.IsDepthwise)
        {
            throw new ArgumentException($"Depthwise convolution needs groups = input channels, but got {g}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPlanes(in ConvGeometry g, in PhaseLayout l, float* x, float* w, float* b, float* y, int first, int last)
    {
        int c = g.InChannels, mult = g.OutChannels / g.InChannels, taps = g.KernelHeight * g.KernelWidth;
        int hw = g.InHeight * g.InWidth, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        float[] bufferArray = KernelScratch.Rent(l.Length);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        float* tail = stackalloc float[V];
        try
        {
            fixed (float* buffer = bufferArray)
            {
                for (int plane = first; plane < last; plane++)
                {
                    int n = plane / c, ci = plane % c;
                    PhaseLayout.Fill(g, l, x + (long)plane * hw, buffer);
                    for (int m = 0; m < mult; m++)
                    {
                        int k = ci * mult + m;
                        float* wk = w + (long)k * taps;
                        float bias = b == null ? 0f : b[k];
                        float* yk = y + ((long)n * g.OutChannels + k) * ohw;
                        for (int row = 0; row < oh; row++)
                        {
                            float* src = buffer + (long)row * g.StrideHeight * l.Width;
                            float* dst = yk + (long)row * ow;
                            int j = 0;
                            for (; j + 4 * V <= ow; j += 4 * V)
                            {
                                var a0 = Vector256.Create(bias);
                                var a1 = a0;
                                var a2 = a0;
                                var a3 = a0;
                                for (int t = 0; t < taps; t++)
                                {
                                    var wv = Vector256.Create(wk[t]);
                                    float* p = src + offsets[t] + j;
                                    a0 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p), a0);
                                    a1 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p + V), a1);
                                    a2 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p + 2 * V), a2);
                                    a3 = Vector256.MultiplyAddEstimate(wv, Vector256.Load(p + 3 * V), a3);
                                }
                                a0.Store(dst + j);
                                a1.Store(dst + j + V);
                                a2.Store(dst + j + 2 * V);
                                a3.Store(dst + j + 3 * V);
                            }
                            for (; j < ow; j += V)
                            {
                                var a0 = Vector256.Create(bias);
                                for (int t = 0; t < taps; t++)
                                {
                                    a0 = Vector256.MultiplyAddEstimate(Vector256.Create(wk[t]), Vector256.Load(src + offsets[t] + j), a0);
                                }
                                if (j + V <= ow)
                                {
                                    a0.Store(dst + j);
                                }
                                else
                                {
                                    a0.Store(tail);
                                    for (int i = 0; i < ow - j; i++) dst[j + i] = tail[i];
                                }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardDataPlanes(in ConvGeometry g, in PhaseLayout l, float* dy, float* w, float* dx, int first, int last)
    {
        int c = g.InChannels, mult = g.OutChannels / g.InChannels, taps = g.KernelHeight * g.KernelWidth;
        int h = g.InHeight, wd = g.InWidth, hw = h * wd, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        int sw = g.StrideWidth, vectors = l.RoundedOut / V;
        float[] bufferArray = KernelScratch.Rent(l.Length + l.RoundedOut);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        try
        {
            fixed (float* buffer = bufferArray)
            {
                float* rowCopy = buffer + l.Length;
                for (int i = ow; i < l.RoundedOut; i++) rowCopy[i] = 0;
                for (int plane = first; plane < last; plane++)
                {
                    int n = plane / c, ci = plane % c;
                    new Span<float>(buffer, l.Length).Clear();
                    for (int m = 0; m < mult; m++)
                    {
                        int k = ci * mult + m;
                        float* wk = w + (long)k * taps;
                        float* dyk = dy + ((long)n * g.OutChannels + k) * ohw;
                        for (int row = 0; row < oh; row++)
                        {
                            // A zero-tailed copy lets whole vectors scatter past the last column into the buffer's slack.
                            new ReadOnlySpan<float>(dyk + (long)row * ow, ow).CopyTo(new Span<float>(rowCopy, ow));
                            float* dst = buffer + (long)row * g.StrideHeight * l.Width;
                            for (int t = 0; t < taps; t++)
                            {
                                var wv = Vector256.Create(wk[t]);
                                float* p = dst + offsets[t];
                                for (int v = 0; v < vectors; v++)
                                {
                                    float* q = p + v * V;
                                    Vector256.MultiplyAddEstimate(wv, Vector256.Load(rowCopy + v * V), Vector256.Load(q)).Store(q);
                                }
                            }
                        }
                    }
                    PhaseLayout.Fold(g, l, buffer, dx + (long)plane * hw);
                }
            }
        }
        finally
        {
            KernelScratch.Return(bufferArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardWeightRange(in ConvGeometry g, in PhaseLayout l, float* x, float* dy, float* dw,
        int firstImage, int lastImage, int firstChannel, int lastChannel)
    {
        int c = g.InChannels, mult = g.OutChannels / g.InChannels, taps = g.KernelHeight * g.KernelWidth;
        int hw = g.InHeight * g.InWidth, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        int vectors = l.RoundedOut / V;
        float[] bufferArray = KernelScratch.Rent(l.Length + l.RoundedOut);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = l.Offsets[t];
        Vector256<float>* acc = stackalloc Vector256<float>[taps];
        try
        {
            fixed (float* buffer = bufferArray)
            {
                float* rowCopy = buffer + l.Length;
                for (int i = ow; i < l.RoundedOut; i++) rowCopy[i] = 0;
                for (int ci = firstChannel; ci < lastChannel; ci++)
                {
                    for (int n = firstImage; n < lastImage; n++)
                    {
                        PhaseLayout.Fill(g, l, x + ((long)n * c + ci) * hw, buffer);
                        for (int m = 0; m < mult; m++)
                        {
                            int k = ci * mult + m;
                            float* dyk = dy + ((long)n * g.OutChannels + k) * ohw;
                            for (int t = 0; t < taps; t++) acc[t] = Vector256<float>.Zero;
                            for (int row = 0; row < oh; row++)
                            {
                                new ReadOnlySpan<float>(dyk + (long)row * ow, ow).CopyTo(new Span<float>(rowCopy, ow));
                                float* src = buffer + (long)row * g.StrideHeight * l.Width;
                                for (int v = 0; v < vectors; v++)
                                {
                                    var d = Vector256.Load(rowCopy + v * V);
                                    float* p = src + v * V;
                                    for (int t = 0; t < taps; t++)
                                    {
                                        acc[t] = Vector256.MultiplyAddEstimate(d, Vector256.Load(p + offsets[t]), acc[t]);
                                    }
                                }
                            }
                            float* dwk = dw + (long)k * taps;
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
