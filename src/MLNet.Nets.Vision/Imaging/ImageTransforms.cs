namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Pure geometric and photometric transforms on <see cref="Image"/>. Each returns a new image and leaves its input
/// unchanged; results are rounded to the nearest integer and clamped to 0–255.
/// </summary>
public static class ImageTransforms
{
    /// <summary>Copies the rectangle [x, x + width) × [y, y + height), which must lie inside the image.</summary>
    public static Image Crop(Image image, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > image.Width || y + height > image.Height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Crop ({x}, {y}, {width}×{height}) is not inside the {image.Width}×{image.Height} image.");
        }
        var result = new Image(width, height, image.Mode);
        int c = image.Channels;
        for (int r = 0; r < height; r++)
        {
            image.Pixels.AsSpan(((y + r) * image.Width + x) * c, width * c).CopyTo(result.Pixels.AsSpan(r * width * c));
        }
        return result;
    }

    /// <summary>Mirrors left ↔ right.</summary>
    public static Image FlipHorizontal(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new Image(image.Width, image.Height, image.Mode);
        int c = image.Channels, w = image.Width;
        for (int y = 0; y < image.Height; y++)
        {
            var src = image.Pixels.AsSpan(y * w * c, w * c);
            var dst = result.Pixels.AsSpan(y * w * c, w * c);
            for (int x = 0; x < w; x++) src.Slice(x * c, c).CopyTo(dst[((w - 1 - x) * c)..]);
        }
        return result;
    }

    /// <summary>Mirrors top ↔ bottom.</summary>
    public static Image FlipVertical(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new Image(image.Width, image.Height, image.Mode);
        int stride = image.Stride;
        for (int y = 0; y < image.Height; y++)
        {
            image.Pixels.AsSpan(y * stride, stride).CopyTo(result.Pixels.AsSpan((image.Height - 1 - y) * stride));
        }
        return result;
    }

    /// <summary>
    /// Rotates by <paramref name="degrees"/> counter-clockwise (as PIL's <c>rotate</c> and torchvision) about the image
    /// centre, keeping the size. Each output pixel centre is mapped back into the source and sampled bilinearly; the
    /// four neighbours that fall outside the image contribute <paramref name="fill"/> (alpha 255), so edges are smooth.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="degrees">Angle in degrees, counter-clockwise positive.</param>
    /// <param name="fill">Colour for uncovered areas; default black.</param>
    public static Image Rotate(Image image, double degrees, Rgb24? fill = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height, c = image.Channels;
        var result = new Image(w, h, image.Mode);
        var background = new Image(1, 1, image.Mode);
        ImageResizer.FillColor(background, fill ?? Rgb24.Black);
        byte[] bg = background.Pixels, src = image.Pixels, dst = result.Pixels;
        double theta = degrees * Math.PI / 180.0, cos = Math.Cos(theta), sin = Math.Sin(theta);
        double cx = w / 2.0, cy = h / 2.0;
        Span<double> acc = stackalloc double[4];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // Inverse map (screen y points down, so a counter-clockwise turn on screen uses these signs).
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double sx = cos * dx - sin * dy + cx - 0.5;
                double sy = sin * dx + cos * dy + cy - 0.5;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                acc.Clear();
                for (int j = 0; j < 2; j++)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        double wt = (i == 0 ? 1 - fx : fx) * (j == 0 ? 1 - fy : fy);
                        if (wt == 0) continue;
                        int px = x0 + i, py = y0 + j;
                        bool inside = (uint)px < (uint)w && (uint)py < (uint)h;
                        for (int k = 0; k < c; k++) acc[k] += wt * (inside ? src[(py * w + px) * c + k] : bg[k]);
                    }
                }
                int o = (y * w + x) * c;
                for (int k = 0; k < c; k++) dst[o + k] = ClampRound(acc[k]);
            }
        }
        return result;
    }

    /// <summary>Scales colour values by <paramref name="factor"/> (0 = black, 1 = unchanged), like PIL's <c>ImageEnhance.Brightness</c>. Alpha is kept.</summary>
    public static Image AdjustBrightness(Image image, double factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(factor >= 0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Brightness factor must be ≥ 0.");
        return MapColour(image, v => v * factor);
    }

    /// <summary>
    /// Blends with the image's mean gray level m (rounded mean of the PIL luminance of all pixels):
    /// <c>m + factor · (v − m)</c> (0 = flat gray, 1 = unchanged), like PIL's <c>ImageEnhance.Contrast</c>. Alpha is kept.
    /// </summary>
    public static Image AdjustContrast(Image image, double factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(factor >= 0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Contrast factor must be ≥ 0.");
        long sum = 0;
        int c = image.Channels, n = image.Width * image.Height;
        var px = image.Pixels;
        for (int i = 0; i < n; i++)
        {
            sum += c <= 2 ? px[i * c] : ColorConversion.Luma(px[i * c], px[i * c + 1], px[i * c + 2]);
        }
        double mean = Math.Round((double)sum / n);
        return MapColour(image, v => mean + factor * (v - mean));
    }

    private static Image MapColour(Image image, Func<double, double> map)
    {
        Span<byte> table = stackalloc byte[256];
        for (int v = 0; v < 256; v++) table[v] = ClampRound(map(v));
        var result = image.Clone();
        int c = image.Channels, colour = image.HasAlpha ? c - 1 : c;
        var px = result.Pixels;
        for (int i = 0; i < px.Length; i += c)
        {
            for (int k = 0; k < colour; k++) px[i + k] = table[px[i + k]];
        }
        return result;
    }

    private static byte ClampRound(double v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)Math.Round(v, MidpointRounding.AwayFromZero);
}
