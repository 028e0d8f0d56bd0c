using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Separable resampling with PIL's exact definition (Pillow's <c>Resample.c</c>), so 8-bit results are identical to
/// <c>Image.resize(size, BILINEAR | BOX)</c> for Gray and RGB images.
/// </summary>
/// <remarks>
/// For an output axis of n pixels covering source coordinates [a, b) of an axis with N pixels (a and b rounded to single
/// precision, as PIL stores them), scale s = (b − a)/n (the difference taken in single precision) and
/// filter scale f = max(s, 1). Output pixel i has centre c = a + (i + ½)s and reads source pixels j in
/// [max(⌊c − r·f + ½⌋, 0), min(⌊c + r·f + ½⌋, N)) (r the kernel support) with weights K((j − c + ½)/f) normalised to sum 1,
/// quantised to 22-bit fixed point (round half away from zero). The horizontal pass runs first and rounds to 8 bits
/// (<c>(Σ w·p + 2²¹) &gt;&gt; 22</c>, clamped to 0–255), then the vertical pass does the same on its result. An axis whose
/// size and region are unchanged is not resampled. Channels, alpha included, are filtered independently (PIL instead
/// premultiplies alpha for RGBA/LA). Both passes are vectorised (horizontal: one SIMD multiply-add per tap for RGB/RGBA;
/// vertical: 16 bytes of a row at a time); buffers come from <see cref="ArrayPool{T}"/>.
/// </remarks>
public static class ImageResizer
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    /// <param name="image">The source image (any mode; the result has the same mode).</param>
    /// <param name="width">Target width in pixels, ≥ 1.</param>
    /// <param name="height">Target height in pixels, ≥ 1.</param>
    /// <param name="filter">Resampling kernel; default bilinear (antialiased when shrinking).</param>
    /// <param name="mode">Aspect-ratio handling; default <see cref="ResizeMode.Fill"/> (stretch).</param>
    /// <param name="padColor">Canvas colour for <see cref="ResizeMode.PadToAspect"/>; default black. Alpha, if any, is 255.</param>
    public static Image Resize(Image image, int width, int height, ResizeFilter filter = ResizeFilter.Bilinear,
        ResizeMode mode = ResizeMode.Fill, Rgb24? padColor = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckTarget(width, height);
        switch (mode)
        {
            case ResizeMode.Fill:
                return ResizeRegion(image, 0, 0, image.Width, image.Height, width, height, filter);
            case ResizeMode.CropToAspect:
            {
                double target = (double)width / height, source = (double)image.Width / image.Height;
                double rw = image.Width, rh = image.Height;
                if (source > target) rw = image.Height * target;
                else rh = image.Width / target;
                return ResizeRegion(image, (image.Width - rw) / 2, (image.Height - rh) / 2, rw, rh, width, height, filter);
            }
            case ResizeMode.PadToAspect:
            {
                // Same arithmetic as PIL's ImageOps.pad: the long side fills the target, the other is rounded half to
                // even, and the offset is the rounded half of the slack.
                double sourceRatio = (double)image.Width / image.Height, targetRatio = (double)width / height;
                int fw = width, fh = height;
                if (sourceRatio > targetRatio) fh = Math.Clamp((int)Math.Round(width / sourceRatio, MidpointRounding.ToEven), 1, height);
                else if (sourceRatio < targetRatio) fw = Math.Clamp((int)Math.Round(height * sourceRatio, MidpointRounding.ToEven), 1, width);
                var fitted = ResizeRegion(image, 0, 0, image.Width, image.Height, fw, fh, filter);
                if (fw == width && fh == height) return fitted;
                var canvas = new Image(width, height, image.Mode);
                FillColor(canvas, padColor ?? Rgb24.Black);
                Paste(fitted, canvas, (int)Math.Round((width - fw) * 0.5, MidpointRounding.ToEven), (int)Math.Round((height - fh) * 0.5, MidpointRounding.ToEven));
                return canvas;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown resize mode.");
        }
    }

    /// <summary>
    /// Resamples the source region [x, x + regionWidth) × [y, y + regionHeight) (fractional coordinates allowed, in
    /// source pixels) to a <paramref name="width"/> × <paramref name="height"/> image; PIL's <c>resize(size, filter, box)</c>.
    /// </summary>
    /// <param name="image">The source image.</param>
    /// <param name="x">Left edge of the region, ≥ 0.</param>
    /// <param name="y">Top edge of the region, ≥ 0.</param>
    /// <param name="regionWidth">Region width, &gt; 0, with x + regionWidth ≤ image width.</param>
    /// <param name="regionHeight">Region height, &gt; 0, with y + regionHeight ≤ image height.</param>
    /// <param name="width">Target width in pixels, ≥ 1.</param>
    /// <param name="height">Target height in pixels, ≥ 1.</param>
    /// <param name="filter">Resampling kernel; default bilinear.</param>
    public static Image ResizeRegion(Image image, double x, double y, double regionWidth, double regionHeight,
        int width, int height, ResizeFilter filter = ResizeFilter.Bilinear)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckTarget(width, height);
        const double slack = 1e-9;
        if (!(x >= 0) || !(y >= 0) || !(regionWidth > 0) || !(regionHeight > 0)
            || x + regionWidth > image.Width + slack || y + regionHeight > image.Height + slack)
        {
            throw new ArgumentOutOfRangeException(nameof(regionWidth),
                $"Region ({x}, {y}, {regionWidth}×{regionHeight}) is not inside the {image.Width}×{image.Height} image.");
        }
        int c = image.Channels;
        bool needH = width != image.Width || x != 0 || regionWidth != image.Width;
        bool needV = height != image.Height || y != 0 || regionHeight != image.Height;
        var result = new Image(width, height, image.Mode);
        if (!needH && !needV)
        {
            image.Pixels.AsSpan().CopyTo(result.Pixels);
            return result;
        }
        var (hBounds, hWeights, hK) = Coefficients(image.Width, x, x + regionWidth, width, filter);
        var (vBounds, vWeights, vK) = Coefficients(image.Height, y, y + regionHeight, height, filter);
        try
        {
            if (needH && !needV)
            {
                Horizontal(image.Pixels, image.Width, c, 0, image.Height, result.Pixels, width, hBounds, hWeights, hK);
            }
            else if (!needH)
            {
                Vertical(image.Pixels, image.Width * c, 0, result.Pixels, height, vBounds, vWeights, vK);
            }
            else
            {
                int first = vBounds[0], last = vBounds[2 * height - 2] + vBounds[2 * height - 1];
                int rows = last - first;
                byte[] temp = ArrayPool<byte>.Shared.Rent(rows * width * c);
                try
                {
                    Horizontal(image.Pixels, image.Width, c, first, rows, temp, width, hBounds, hWeights, hK);
                    Vertical(temp, width * c, first, result.Pixels, height, vBounds, vWeights, vK);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(temp);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(hBounds);
            ArrayPool<int>.Shared.Return(hWeights);
            ArrayPool<int>.Shared.Return(vBounds);
            ArrayPool<int>.Shared.Return(vWeights);
        }
        return result;
    }

    private static void CheckTarget(int width, int height)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Target width must be at least 1.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Target height must be at least 1.");
    }

    internal static double Kernel(ResizeFilter filter, double t) => filter switch
    {
        ResizeFilter.Box => t > -0.5 && t <= 0.5 ? 1.0 : 0.0,
        _ => Math.Abs(t) < 1.0 ? 1.0 - Math.Abs(t) : 0.0,
    };

    internal static double Support(ResizeFilter filter) => filter == ResizeFilter.Box ? 0.5 : 1.0;

    /// <summary>Bounds (first, count) per output pixel and fixed-point weights, ksize per output pixel (pooled arrays).</summary>
    internal static (int[] Bounds, int[] Weights, int KSize) Coefficients(int inSize, double regionStart, double regionEnd, int outSize, ResizeFilter filter)
    {
        // PIL passes the region as C floats and subtracts them in single precision; doing the same keeps results identical.
        float in0 = (float)regionStart, in1 = (float)regionEnd;
        double scale = (double)(float)(in1 - in0) / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support(filter) * filterScale;
        int ksize = (int)Math.Ceiling(support) * 2 + 1;
        int[] bounds = ArrayPool<int>.Shared.Rent(outSize * 2);
        int[] weights = ArrayPool<int>.Shared.Rent(outSize * ksize);
        Span<double> k = ksize <= 256 ? stackalloc double[ksize] : new double[ksize];
        double ss = 1.0 / filterScale;
        for (int i = 0; i < outSize; i++)
        {
            double center = in0 + (i + 0.5) * scale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double total = 0;
            for (int j = 0; j < xmax; j++)
            {
                double w = Kernel(filter, (j + xmin - center + 0.5) * ss);
                k[j] = w;
                total += w;
            }
            for (int j = 0; j < ksize; j++)
            {
                double w = j < xmax && total != 0 ? k[j] / total : 0;
                weights[i * ksize + j] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[2 * i] = xmin;
            bounds[2 * i + 1] = xmax;
        }
        return (bounds, weights, ksize);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clip8(int v)
    {
        v >>= PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    private static unsafe void Horizontal(byte[] src, int srcWidth, int c, int firstRow, int rows, byte[] dst, int outWidth, int[] bounds, int[] weights, int ksize)
    {
        const int half = 1 << (PrecisionBits - 1);
        bool simd = Sse41.IsSupported && c >= 3;
        var zero = Vector128<int>.Zero;
        var max = Vector128.Create(255);
        fixed (byte* sp = src, dp = dst)
        fixed (int* bp = bounds, wp = weights)
        {
            byte* end = sp + src.Length;
            for (int r = 0; r < rows; r++)
            {
                byte* srow = sp + (long)(firstRow + r) * srcWidth * c;
                byte* drow = dp + (long)r * outWidth * c;
                for (int x = 0; x < outWidth; x++)
                {
                    int xmin = bp[2 * x], n = bp[2 * x + 1];
                    int* k = wp + x * ksize;
                    byte* p = srow + xmin * c;
                    byte* o = drow + x * c;
                    // One 4-lane multiply-add per tap for RGB/RGBA: the pixel's bytes (plus, for RGB, the next pixel's
                    // first byte, ignored) are zero-extended to int32 lanes. Needs 4 readable bytes at the last tap.
                    if (simd && p + (n - 1) * c + 4 <= end)
                    {
                        var acc = Vector128.Create(half);
                        for (int j = 0; j < n; j++, p += c)
                        {
                            acc += Sse41.ConvertToVector128Int32(p) * Vector128.Create(k[j]);
                        }
                        acc = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(acc, PrecisionBits), zero), max);
                        o[0] = (byte)acc.GetElement(0);
                        o[1] = (byte)acc.GetElement(1);
                        o[2] = (byte)acc.GetElement(2);
                        if (c == 4) o[3] = (byte)acc.GetElement(3);
                        continue;
                    }
                    switch (c)
                    {
                        case 1:
                        {
                            int s0 = half;
                            for (int j = 0; j < n; j++) s0 += p[j] * k[j];
                            o[0] = Clip8(s0);
                            break;
                        }
                        case 3:
                        {
                            int s0 = half, s1 = half, s2 = half;
                            for (int j = 0; j < n; j++, p += 3)
                            {
                                int w = k[j];
                                s0 += p[0] * w; s1 += p[1] * w; s2 += p[2] * w;
                            }
                            o[0] = Clip8(s0); o[1] = Clip8(s1); o[2] = Clip8(s2);
                            break;
                        }
                        case 4:
                        {
                            int s0 = half, s1 = half, s2 = half, s3 = half;
                            for (int j = 0; j < n; j++, p += 4)
                            {
                                int w = k[j];
                                s0 += p[0] * w; s1 += p[1] * w; s2 += p[2] * w; s3 += p[3] * w;
                            }
                            o[0] = Clip8(s0); o[1] = Clip8(s1); o[2] = Clip8(s2); o[3] = Clip8(s3);
                            break;
                        }
                        default:
                        {
                            int s0 = half, s1 = half;
                            for (int j = 0; j < n; j++, p += 2)
                            {
                                int w = k[j];
                                s0 += p[0] * w; s1 += p[1] * w;
                            }
                            o[0] = Clip8(s0); o[1] = Clip8(s1);
                            break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Vertical pass: each output row is a weighted sum of whole source rows, so it vectorises along the row.</summary>
    private static unsafe void Vertical(byte[] src, int rowBytes, int rowOffset, byte[] dst, int outHeight, int[] bounds, int[] weights, int ksize)
    {
        const int half = 1 << (PrecisionBits - 1);
        fixed (byte* sp = src, dp = dst)
        fixed (int* bp = bounds, wp = weights)
        {
            for (int y = 0; y < outHeight; y++)
            {
                int ymin = bp[2 * y] - rowOffset, n = bp[2 * y + 1];
                int* k = wp + y * ksize;
                byte* drow = dp + (long)y * rowBytes;
                int x = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    var zero = Vector256<int>.Zero;
                    var max = Vector256.Create(255);
                    for (; x + 16 <= rowBytes; x += 16)
                    {
                        var a0 = Vector256.Create(half);
                        var a1 = a0;
                        for (int j = 0; j < n; j++)
                        {
                            var (lo16, hi16) = Vector128.Widen(Vector128.Load(sp + (long)(ymin + j) * rowBytes + x));
                            var (l0, l1) = Vector128.Widen(lo16);
                            var (h0, h1) = Vector128.Widen(hi16);
                            var w = Vector256.Create(k[j]);
                            a0 += Vector256.Create(l0, l1).AsInt32() * w;
                            a1 += Vector256.Create(h0, h1).AsInt32() * w;
                        }
                        a0 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(a0, PrecisionBits), zero), max);
                        a1 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(a1, PrecisionBits), zero), max);
                        var shorts = Vector256.Narrow(a0, a1);
                        var packed = Vector128.Narrow(shorts.GetLower(), shorts.GetUpper());
                        packed.AsByte().Store(drow + x);
                    }
                }
                for (; x < rowBytes; x++)
                {
                    int s = half;
                    for (int j = 0; j < n; j++) s += sp[(long)(ymin + j) * rowBytes + x] * k[j];
                    drow[x] = Clip8(s);
                }
            }
        }
    }

    internal static void FillColor(Image image, Rgb24 color)
    {
        Span<byte> pixel = stackalloc byte[4];
        switch (image.Mode)
        {
            case ColorMode.Gray: pixel[0] = color.Luminance; break;
            case ColorMode.GrayAlpha: pixel[0] = color.Luminance; pixel[1] = 255; break;
            default: pixel[0] = color.R; pixel[1] = color.G; pixel[2] = color.B; pixel[3] = 255; break;
        }
        int c = image.Channels;
        var px = image.Pixels.AsSpan();
        for (int i = 0; i < px.Length; i += c) pixel[..c].CopyTo(px[i..]);
    }

    private static void Paste(Image source, Image target, int left, int top)
    {
        int rowBytes = source.Stride;
        for (int y = 0; y < source.Height; y++)
        {
            source.Pixels.AsSpan(y * rowBytes, rowBytes).CopyTo(target.Pixels.AsSpan(((top + y) * target.Width + left) * target.Channels));
        }
    }
}
