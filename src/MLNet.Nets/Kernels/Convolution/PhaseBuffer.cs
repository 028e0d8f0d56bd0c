using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// A zero-padded copy of one input plane split by column phase (column mod horizontal stride), so that every kernel
/// tap of a direct convolution reads a contiguous run with full-width vector loads and no bounds checks.
/// </summary>
internal static unsafe class PhaseBuffer
{
    /// <summary>Where each kernel tap reads in the phase-split buffer of one input plane.</summary>
    internal readonly struct PhaseLayout
    {
        public const int V = 8;

        public readonly int Rows;        // padded rows that some output uses
        public readonly int Width;       // floats per phase row, enough for whole vectors past the last output column
        public readonly int Phases;      // = horizontal stride
        public readonly int RoundedOut;  // OW rounded up to whole vectors
        public readonly int[] Offsets;   // per tap (kh, kw): phase·Rows·Width + kh·dh·Width + (kw·dw)/stride

        /// <summary>The layout for row-by-row kernels (rows padded to whole vectors), or with <paramref name="tight"/> for
        /// stride-1 kernels that sweep the buffer as one flat run (rows exactly OW + (kW − 1)·dilation wide).</summary>
        public PhaseLayout(in ConvGeometry g, bool tight = false)
        {
            Phases = g.StrideWidth;
            Rows = (g.OutHeight - 1) * g.StrideHeight + (g.KernelHeight - 1) * g.DilationHeight + 1;
            RoundedOut = (g.OutWidth + V - 1) / V * V;
            int maxShift = (g.KernelWidth - 1) * g.DilationWidth / g.StrideWidth;
            Width = (tight ? g.OutWidth : RoundedOut) + maxShift;
            Offsets = new int[g.KernelHeight * g.KernelWidth];
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int shift = kw * g.DilationWidth;
                    Offsets[kh * g.KernelWidth + kw] = ((shift % Phases) * Rows + kh * g.DilationHeight) * Width + shift / Phases;
                }
            }
        }

        public int Length => Phases * Rows * Width;

        // Copies one input plane into the phase buffer: buffer[r][row][i] = x[row − padTop][i·stride + r − padLeft] or 0.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Fill(in ConvGeometry g, in PhaseLayout l, float* plane, float* buffer)
        {
            int h = g.InHeight, w = g.InWidth, sw = g.StrideWidth;
            for (int r = 0; r < l.Phases; r++)
            {
                Im2Col.ValidRange(r - g.PadLeft, sw, w, l.Width, out int start, out int end);
                for (int row = 0; row < l.Rows; row++)
                {
                    float* dst = buffer + ((long)r * l.Rows + row) * l.Width;
                    int ih = row - g.PadTop;
                    if ((uint)ih >= (uint)h)
                    {
                        new Span<float>(dst, l.Width).Clear();
                        continue;
                    }
                    float* src = plane + (long)ih * w + r - g.PadLeft;
                    for (int i = 0; i < start; i++) dst[i] = 0;
                    if (sw == 1)
                    {
                        new ReadOnlySpan<float>(src + start, end - start).CopyTo(new Span<float>(dst + start, end - start));
                    }
                    else
                    {
                        for (int i = start; i < end; i++) dst[i] = src[i * sw];
                    }
                    for (int i = end; i < l.Width; i++) dst[i] = 0;
                }
            }
        }

        // Folds a phase-split gradient buffer back onto one input plane (overwriting it):
        // dx[ih][iw] = buffer[(iw + padLeft) mod s][ih + padTop][(iw + padLeft) / s]; pixels no output reads get 0.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Fold(in ConvGeometry g, in PhaseLayout l, float* buffer, float* dxp)
        {
            int h = g.InHeight, wd = g.InWidth, sw = g.StrideWidth;
            for (int ih = 0; ih < h; ih++)
            {
                float* dst = dxp + (long)ih * wd;
                int row = ih + g.PadTop;
                if (row >= l.Rows)
                {
                    new Span<float>(dst, wd).Clear();
                    continue;
                }
                for (int r = 0; r < sw; r++)
                {
                    float* src = buffer + ((long)r * l.Rows + row) * l.Width;
                    Im2Col.ValidRange(r - g.PadLeft, sw, wd, l.Width, out int start, out int end);
                    // Input columns iw = i·s + r − padLeft for i in [start, end) come from this phase.
                    if (sw == 1)
                    {
                        new ReadOnlySpan<float>(src + start, end - start).CopyTo(new Span<float>(dst + start - g.PadLeft, end - start));
                    }
                    else
                    {
                        float* d = dst + r - g.PadLeft;
                        for (int i = start; i < end; i++) d[i * sw] = src[i];
                    }
                }
                // Columns beyond the buffer's reach (never read by any output) get zero.
                long covered = (long)l.Width * sw - g.PadLeft;
                for (long iw = Math.Max(0, covered); iw < wd; iw++) dst[iw] = 0;
            }
        }
    }
}
