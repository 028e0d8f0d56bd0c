namespace MLNet.Nets.Images;

/// <summary>
/// Resizes planar float pixels [C, h, w] to [C, H, W] with PIL's bilinear filter (a triangle kernel widened by the scale
/// when shrinking, so it antialiases), computed in floating point: the same weights as <c>ImageResizer</c> without its
/// 8-bit rounding. Values are not rescaled, so prepared (normalized) pixels stay normalized.
/// </summary>
internal sealed class PixelResampler
{
    private readonly int _channels, _height, _width, _targetHeight, _targetWidth;
    private readonly (int[] First, int[] Count, float[] Weights, int Taps) _horizontal, _vertical;

    public PixelResampler(int channels, int height, int width, int targetHeight, int targetWidth)
    {
        (_channels, _height, _width, _targetHeight, _targetWidth) = (channels, height, width, targetHeight, targetWidth);
        _horizontal = Coefficients(width, targetWidth);
        _vertical = Coefficients(height, targetHeight);
    }

    /// <summary>Resizes one image: <paramref name="source"/> holds C·h·w values, <paramref name="target"/> C·H·W. Thread-safe.</summary>
    public void Resize(ReadOnlySpan<float> source, Span<float> target)
    {
        var (channels, height, width, targetHeight, targetWidth) = (_channels, _height, _width, _targetHeight, _targetWidth);
        var (hFirst, hCount, hWeights, hTaps) = _horizontal;
        var (vFirst, vCount, vWeights, vTaps) = _vertical;
        var rows = new float[height * targetWidth];
        for (int c = 0; c < channels; c++)
        {
            var plane = source.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < targetWidth; x++)
                {
                    float sum = 0;
                    int at = y * width + hFirst[x];
                    for (int k = 0; k < hCount[x]; k++) sum += hWeights[x * hTaps + k] * plane[at + k];
                    rows[y * targetWidth + x] = sum;
                }
            }
            var output = target.Slice(c * targetHeight * targetWidth, targetHeight * targetWidth);
            for (int y = 0; y < targetHeight; y++)
            {
                for (int x = 0; x < targetWidth; x++)
                {
                    float sum = 0;
                    for (int k = 0; k < vCount[y]; k++) sum += vWeights[y * vTaps + k] * rows[(vFirst[y] + k) * targetWidth + x];
                    output[y * targetWidth + x] = sum;
                }
            }
        }
    }

    /// <summary>First source index, window length and normalized weights (<paramref name="outSize"/> rows of Taps) per output index.</summary>
    private static (int[] First, int[] Count, float[] Weights, int Taps) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale;
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outSize];
        var counts = new int[outSize];
        var weights = new float[outSize * taps];
        var k = new double[taps];
        for (int i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int count = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0;
            for (int j = 0; j < count; j++)
            {
                double t = Math.Abs((j + min - center + 0.5) / filterScale);
                k[j] = t < 1 ? 1 - t : 0;
                total += k[j];
            }
            for (int j = 0; j < count; j++) weights[i * taps + j] = (float)(total == 0 ? 0 : k[j] / total);
            first[i] = min;
            counts[i] = count;
        }
        return (first, counts, weights, taps);
    }
}
