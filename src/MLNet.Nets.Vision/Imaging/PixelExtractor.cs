using System.Runtime.Intrinsics;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Converts an <see cref="Image"/> to floats for a network (ML.NET's <c>ExtractPixels</c>): channel order, planar or
/// interleaved layout, scale/offset and per-channel mean/std (torchvision's <c>ToTensor</c> + <c>Normalize</c>).
/// </summary>
/// <remarks>
/// Output channels: 1 for Gray/GrayAlpha, 3 for Rgb/Rgba, plus 1 when <see cref="PixelExtractionOptions.KeepAlpha"/>
/// is set and the image has alpha. The per-channel affine map is folded into a 256-entry table per channel, so the
/// planar loop is one table load per value; an interleaved image with one shared map is converted with SIMD.
/// </remarks>
public static class PixelExtractor
{
    /// <summary>The number of channels <see cref="Extract(Image, PixelExtractionOptions?)"/> produces for <paramref name="image"/>.</summary>
    public static int OutputChannels(Image image, PixelExtractionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        int colour = image.Mode is ColorMode.Gray or ColorMode.GrayAlpha ? 1 : 3;
        return colour + ((options?.KeepAlpha ?? false) && image.HasAlpha ? 1 : 0);
    }

    /// <summary>Returns a new tensor [C, H, W] (planar) or [H, W, C] (interleaved).</summary>
    /// <param name="image">The image.</param>
    /// <param name="options">Extraction options; null means the defaults (planar RGB, raw 0–255 values).</param>
    public static Tensor Extract(Image image, PixelExtractionOptions? options = null)
    {
        options ??= Defaults;
        int c = OutputChannels(image, options);
        var tensor = options.Layout == PixelLayout.Planar ? new Tensor(c, image.Height, image.Width) : new Tensor(image.Height, image.Width, c);
        Extract(image, tensor.Span, options);
        return tensor;
    }

    /// <summary>
    /// Writes the pixels into <paramref name="destination"/> (C·H·W floats, e.g. one sample of an [N, C, H, W] batch);
    /// allocates nothing beyond a small per-call table.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="destination">At least C·H·W floats; the first C·H·W are overwritten.</param>
    /// <param name="options">Extraction options; null means the defaults.</param>
    public static void Extract(Image image, Span<float> destination, PixelExtractionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= Defaults;
        int oc = OutputChannels(image, options);
        int pixels = image.Width * image.Height;
        if (destination.Length < oc * pixels)
        {
            throw new ArgumentException($"Destination has {destination.Length} floats; a {image.Width}×{image.Height} image with {oc} channels needs {oc * pixels}.", nameof(destination));
        }
        int ic = image.Channels;
        bool colour = image.Mode is ColorMode.Rgb or ColorMode.Rgba;
        Span<int> source = stackalloc int[4];
        for (int c = 0; c < oc; c++)
        {
            int s = c;
            if (colour && c < 3 && options.Order == ChannelOrder.Bgr) s = 2 - c;
            if (c == oc - 1 && (options.KeepAlpha && image.HasAlpha)) s = ic - 1;
            source[c] = s;
        }
        Span<float> a = stackalloc float[4], b = stackalloc float[4];
        for (int c = 0; c < oc; c++)
        {
            float mean = Pick(options.Mean, c, oc, 0f, "Mean"), std = Pick(options.Std, c, oc, 1f, "Std");
            if (std == 0) throw new ArgumentException($"Std[{c}] is 0.", nameof(options));
            a[c] = options.Scale / std;
            b[c] = (options.Offset - mean) / std;
        }
        var px = image.Pixels.AsSpan();
        bool uniform = true;
        for (int c = 1; c < oc; c++) uniform &= a[c] == a[0] && b[c] == b[0];
        bool identityOrder = true;
        for (int c = 0; c < oc; c++) identityOrder &= source[c] == c;

        if (oc == ic && uniform && identityOrder && (oc == 1 || options.Layout == PixelLayout.Interleaved))
        {
            AffineBytes(px, destination, a[0], b[0]);
            return;
        }
        Span<float> table = stackalloc float[256 * 4];
        for (int c = 0; c < oc; c++)
        {
            for (int v = 0; v < 256; v++) table[c * 256 + v] = v * a[c] + b[c];
        }
        if (options.Layout == PixelLayout.Planar)
        {
            for (int c = 0; c < oc; c++)
            {
                var lut = table.Slice(c * 256, 256);
                var plane = destination.Slice(c * pixels, pixels);
                int s = source[c];
                for (int i = 0, j = s; i < plane.Length; i++, j += ic) plane[i] = lut[px[j]];
            }
        }
        else
        {
            for (int i = 0; i < pixels; i++)
            {
                int o = i * oc, p = i * ic;
                for (int c = 0; c < oc; c++) destination[o + c] = table[c * 256 + px[p + source[c]]];
            }
        }
    }

    private static readonly PixelExtractionOptions Defaults = new();

    private static float Pick(float[]? values, int c, int channels, float fallback, string what)
    {
        if (values is null || values.Length == 0) return fallback;
        if (values.Length == 1) return values[0];
        if (values.Length < channels) throw new ArgumentException($"{what} has {values.Length} values but the output has {channels} channels.");
        return values[c];
    }

    /// <summary>dst[i] = src[i]·a + b, widened and fused 16 bytes at a time.</summary>
    private static unsafe void AffineBytes(ReadOnlySpan<byte> src, Span<float> dst, float a, float b)
    {
        int n = src.Length, i = 0;
        fixed (byte* s = src)
        fixed (float* d = dst)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var va = Vector256.Create(a);
                var vb = Vector256.Create(b);
                for (; i + 16 <= n; i += 16)
                {
                    var (lo, hi) = Vector128.Widen(Vector128.Load(s + i));
                    var (l0, l1) = Vector128.Widen(lo);
                    var (h0, h1) = Vector128.Widen(hi);
                    Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(Vector256.Create(l0, l1).AsInt32()), va, vb).Store(d + i);
                    Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(Vector256.Create(h0, h1).AsInt32()), va, vb).Store(d + i + 8);
                }
            }
            for (; i < n; i++) d[i] = MathF.FusedMultiplyAdd(s[i], a, b);
        }
    }
}
