using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Average pooling on NCHW tensors. With <c>countIncludePad</c> true (PyTorch's default) the divisor is the window
/// area including padding; with false (TensorFlow/Keras SAME) only the input pixels inside the window are counted.
/// </summary>
public static unsafe class AveragePooling
{
    /// <summary>y = mean over each window.</summary>
    /// <param name="g">The pooling's shape.</param>
    /// <param name="input">x, [N, C, H, W].</param>
    /// <param name="output">y, [N, C, OH, OW]; overwritten.</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor (default true, as PyTorch).</param>
    public static void Forward(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, bool countIncludePad = true)
    {
        MaxPooling.Check(g, input.Length, output.Length);
        fixed (float* x = input, y = output)
        {
            var geometry = g;
            nint xp = (nint)x, yp = (nint)y;
            int planes = g.Batch * g.Channels;
            int parts = MaxPooling.Parts(planes, g.OutputLength * g.KernelHeight * g.KernelWidth);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(planes, parts, part);
                Planes(geometry, (float*)xp, (float*)yp, first, last, countIncludePad, backward: false);
            });
        }
    }

    /// <summary>dx: each output's gradient spread evenly (by the same divisor) over its window's input pixels.</summary>
    /// <param name="g">The pooling's shape.</param>
    /// <param name="outputGradient">dy, [N, C, OH, OW].</param>
    /// <param name="inputGradient">dx, [N, C, H, W]; overwritten.</param>
    /// <param name="countIncludePad">Must match the forward pass.</param>
    public static void Backward(in PoolGeometry g, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, bool countIncludePad = true)
    {
        MaxPooling.Check(g, inputGradient.Length, outputGradient.Length);
        fixed (float* dy = outputGradient, dx = inputGradient)
        {
            var geometry = g;
            nint dyp = (nint)dy, dxp = (nint)dx;
            int planes = g.Batch * g.Channels;
            int parts = MaxPooling.Parts(planes, g.OutputLength * g.KernelHeight * g.KernelWidth);
            ParallelKernels.For(parts, part =>
            {
                var (first, last) = KernelScratch.Range(planes, parts, part);
                Planes(geometry, (float*)dxp, (float*)dyp, first, last, countIncludePad, backward: true);
            });
        }
    }

    // Forward: reads x planes, writes y. Backward: the same window walk, scattering dy into dx (x and y swap roles).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Planes(in PoolGeometry g, float* x, float* y, int first, int last, bool countIncludePad, bool backward)
    {
        int h = g.InHeight, w = g.InWidth, hw = h * w, oh = g.OutHeight, ow = g.OutWidth, ohw = oh * ow;
        for (int p = first; p < last; p++)
        {
            float* plane = x + (long)p * hw;
            float* outp = y + (long)p * ohw;
            if (backward) new Span<float>(plane, hw).Clear();
            for (int i = 0; i < oh; i++)
            {
                int hs = i * g.StrideHeight - g.PadTop;
                int h0 = Math.Max(0, hs), h1 = Math.Min(h, hs + g.KernelHeight);
                int ph = Math.Min(hs + g.KernelHeight, h + g.PadBottom) - hs;
                for (int j = 0; j < ow; j++)
                {
                    int ws = j * g.StrideWidth - g.PadLeft;
                    int w0 = Math.Max(0, ws), w1 = Math.Min(w, ws + g.KernelWidth);
                    int pw = Math.Min(ws + g.KernelWidth, w + g.PadRight) - ws;
                    float scale = 1f / (countIncludePad ? ph * pw : (h1 - h0) * (w1 - w0));
                    if (backward)
                    {
                        float v = outp[i * ow + j] * scale;
                        for (int r = h0; r < h1; r++)
                        {
                            float* row = plane + (long)r * w;
                            for (int c = w0; c < w1; c++) row[c] += v;
                        }
                    }
                    else
                    {
                        float s = 0;
                        for (int r = h0; r < h1; r++)
                        {
                            float* row = plane + (long)r * w;
                            for (int c = w0; c < w1; c++) s += row[c];
                        }
                        outp[i * ow + j] = s * scale;
                    }
                }
            }
        }
    }
}
