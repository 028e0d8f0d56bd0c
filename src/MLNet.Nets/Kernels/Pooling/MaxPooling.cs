using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Max pooling on NCHW tensors. The forward pass records, per output, the flat index within its input plane of the
/// chosen pixel (the first maximum in row-major window order, as PyTorch; NaN wins), which the backward pass routes
/// the gradient to. Padding never wins (it acts as −∞).
/// </summary>
public static unsafe class MaxPooling
{
    /// <summary>y = max over each window; <paramref name="indices"/> receives the argmax (flat index within the plane).</summary>
    /// <param name="g">The pooling's shape.</param>
    /// <param name="input">x, [N, C, H, W].</param>
    /// <param name="output">y, [N, C, OH, OW]; overwritten.</param>
    /// <param name="indices">[N, C, OH, OW]; overwritten with argmax positions (h·W + w).</param>
    public static void Forward(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, Span<int> indices)
    {
        Check(g, input.Length, output.Length);
        if (indices.Length != g.OutputLength) throw new ArgumentException($"Max pooling indices have {indices.Length} elements but {g} needs {g.OutputLength}.");
        fixed (float* x = input, y = output)
        fixed (int* ix = indices)
        {
            var geometry = g;
            nint xp = (nint)x, yp = (nint)y, ip = (nint)ix;
            int planes = g.Batch * g.Channels;
            int parts = Parts(planes, g.OutputLength * g.KernelHeight * g.KernelWidth);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(planes, parts, part);
                ForwardPlanes(geometry, (float*)xp, (float*)yp, (int*)ip, first, last);
            });
        }
    }

    /// <summary>dx: each output's gradient added to the input pixel its forward pass chose.</summary>
    /// <param name="g">The pooling's shape.</param>
    /// <param name="outputGradient">dy, [N, C, OH, OW].</param>
    /// <param name="indices">The argmax positions from <see cref="Forward"/>.</param>
    /// <param name="inputGradient">dx, [N, C, H, W]; overwritten.</param>
    public static void Backward(in PoolGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient)
    {
        Check(g, inputGradient.Length, outputGradient.Length);
        if (indices.Length != g.OutputLength) throw new ArgumentException($"Max pooling indices have {indices.Length} elements but {g} needs {g.OutputLength}.");
        fixed (float* dy = outputGradient, dx = inputGradient)
        fixed (int* ix = indices)
        {
            nint dyp = (nint)dy, dxp = (nint)dx, ip = (nint)ix;
            int height = g.InHeight, width = g.InWidth;
            int planes = g.Batch * g.Channels, hw = g.InHeight * g.InWidth, ohw = g.OutHeight * g.OutWidth;
            int parts = Parts(planes, g.InputLength);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(planes, parts, part);
                for (int p = first; p < last; p++)
                {
                    float* d = (float*)dxp + (long)p * hw;
                    float* s = (float*)dyp + (long)p * ohw;
                    int* idx = (int*)ip + (long)p * ohw;
                    new Span<float>(d, hw).Clear();
                    for (int o = 0; o < ohw; o++)
                    {
                        int at = idx[o];
                        if ((uint)at >= (uint)hw) throw new ArgumentException($"Max pooling index {at} is outside a {height}×{width} plane.");
                        d[at] += s[o];
                    }
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPlanes(in PoolGeometry g, float* x, float* y, int* indices, int first, int last)
    {
        int h = g.InHeight, w = g.InWidth, hw = h * w, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        for (int p = first; p < last; p++)
        {
            float* plane = x + (long)p * hw;
            float* dst = y + (long)p * ohw;
            int* idx = indices + (long)p * ohw;
            for (int i = 0; i < oh; i++)
            {
                int h0 = Math.Max(0, i * g.StrideHeight - g.PadTop);
                int h1 = Math.Min(h, i * g.StrideHeight - g.PadTop + g.KernelHeight);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = Math.Max(0, j * g.StrideWidth - g.PadLeft);
                    int w1 = Math.Min(w, j * g.StrideWidth - g.PadLeft + g.KernelWidth);
                    int best = h0 * w + w0;
                    float max = plane[best];
                    for (int r = h0; r < h1; r++)
                    {
                        float* row = plane + (long)r * w;
                        for (int c = w0; c < w1; c++)
                        {
                            float v = row[c];
                            if (v > max || float.IsNaN(v) && !float.IsNaN(max))
                            {
                                max = v;
                                best = r * w + c;
                            }
                        }
                    }
                    dst[i * ow + j] = max;
                    idx[i * ow + j] = best;
                }
            }
        }
    }

    internal static int Parts(int planes, long work) =>
        Math.Max(1, Math.Min(planes, work < 65536 ? 1 : ParallelKernels.DegreeOfParallelism));

    internal static void Check(in PoolGeometry g, int inputLength, int outputLength)
    {
        if (inputLength != g.InputLength || outputLength != g.OutputLength)
        {
            throw new ArgumentException(
                $"Pooling tensors have {inputLength} input and {outputLength} output elements but {g} needs {g.InputLength} and {g.OutputLength}.");
        }
    }
}
