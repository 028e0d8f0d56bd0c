namespace MLNet.Nets.Vision.Imaging;

/// <summary>JPEG through TurboJPEG: accurate integer DCT and fancy upsampling, the settings djpeg and PIL use.</summary>
internal static unsafe class JpegDecoder
{
    public static Image Decode(ReadOnlySpan<byte> data, string name, ImageDecoderOptions options)
    {
        TurboJpegNative.Api api;
        try
        {
            api = TurboJpegNative.Functions;
        }
        catch (DllNotFoundException e)
        {
            throw new ImageFormatException(name, e.Message, e);
        }
        nint handle = TurboJpegNative.Rent();
        bool clean = false;
        try
        {
            int width, height, subsamp, colorspace;
            Image image;
            fixed (byte* src = data)
            {
                if (api.DecompressHeader3(handle, src, (nuint)data.Length, &width, &height, &subsamp, &colorspace) != 0)
                {
                    throw new ImageFormatException(name, $"invalid JPEG header ({TurboJpegNative.ErrorText(handle)}).");
                }
                ImageDecoder.CheckDimensions(width, height, name, options, "JPEG");
                (int pixelFormat, ColorMode mode, int channels) = colorspace switch
                {
                    TurboJpegNative.TJCS_GRAY => (TurboJpegNative.TJPF_GRAY, ColorMode.Gray, 1),
                    TurboJpegNative.TJCS_CMYK or TurboJpegNative.TJCS_YCCK => (TurboJpegNative.TJPF_CMYK, ColorMode.Rgba, 4),
                    _ => (TurboJpegNative.TJPF_RGB, ColorMode.Rgb, 3),
                };
                var buffer = new byte[(long)width * height * channels];
                fixed (byte* dst = buffer)
                {
                    int rc = api.Decompress2(handle, src, (nuint)data.Length, dst, width, width * channels, height, pixelFormat, TurboJpegNative.TJFLAG_ACCURATEDCT);
                    if (rc != 0)
                    {
                        bool warning = api.GetErrorCode(handle) == TurboJpegNative.TJERR_WARNING;
                        string text = TurboJpegNative.ErrorText(handle);
                        if (!warning)
                        {
                            throw new ImageFormatException(name, $"corrupt JPEG data ({text}).");
                        }
                        if (!options.AllowJpegWarnings)
                        {
                            string hint = text.Contains("Premature end", StringComparison.OrdinalIgnoreCase) ? "the file is truncated" : "corrupt JPEG data";
                            throw new ImageFormatException(name, $"{hint} (libjpeg: {text}); set ImageDecoderOptions.AllowJpegWarnings to accept the partial image.");
                        }
                    }
                }
                image = mode == ColorMode.Rgba ? CmykToRgb(buffer, width, height) : new Image(width, height, mode, buffer);
            }
            if (!options.IgnoreExifOrientation)
            {
                int orientation = ExifOrientation.Read(data);
                if (orientation != 1) image = ExifOrientation.Apply(image, orientation);
            }
            clean = true;
            return image;
        }
        finally
        {
            // After an error or warning libjpeg's state inside the handle may be mid-decode; never reuse such a handle.
            if (clean) TurboJpegNative.Return(handle);
            else TurboJpegNative.Functions.Destroy(handle);
        }
    }

    /// <summary>
    /// CMYK as stored by Adobe applications (inverted: 255 = no ink) to RGB, with PIL's rule:
    /// k' = 255 − K, R = k' − k'·C/255 (rounded) where C = 255 − stored value.
    /// </summary>
    private static Image CmykToRgb(byte[] cmyk, int width, int height)
    {
        var result = new Image(width, height, ColorMode.Rgb);
        var dst = result.Pixels;
        int n = width * height;
        for (int i = 0; i < n; i++)
        {
            int nk = cmyk[i * 4 + 3];
            for (int c = 0; c < 3; c++)
            {
                int ink = 255 - cmyk[i * 4 + c];
                int t = ink * nk + 128;
                int v = nk - (((t >> 8) + t) >> 8);
                dst[i * 3 + c] = (byte)Math.Clamp(v, 0, 255);
            }
        }
        return result;
    }
}
