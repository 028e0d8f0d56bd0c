using System.Numerics.Tensors;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Global average and global max pooling: each [H, W] plane (or any run of <c>pixels</c> values) of an
/// [N, C, pixels] tensor reduced to one value, giving [N, C].
/// </summary>
public static unsafe class GlobalPooling
{
    /// <summary>y[n, c] = mean of x[n, c, :].</summary>
    /// <param name="planes">N·C.</param>
    /// <param name="pixels">H·W, values per plane.</param>
    /// <param name="input">x, [N·C·pixels].</param>
    /// <param name="output">y, [N·C]; overwritten.</param>
    public static void AverageForward(int planes, int pixels, ReadOnlySpan<float> input, Span<float> output)
    {
        Check(planes, pixels, input.Length, output.Length);
        float scale = 1f / pixels;
        for (int p = 0; p < planes; p++) output[p] = TensorPrimitives.Sum(input.Slice(p * pixels, pixels)) * scale;
    }

    /// <summary>dx[n, c, :] = dy[n, c] / pixels.</summary>
    /// <param name="planes">N·C.</param>
    /// <param name="pixels">H·W.</param>
    /// <param name="outputGradient">dy, [N·C].</param>
    /// <param name="inputGradient">dx, [N·C·pixels]; overwritten.</param>
    public static void AverageBackward(int planes, int pixels, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        Check(planes, pixels, inputGradient.Length, outputGradient.Length);
        float scale = 1f / pixels;
        for (int p = 0; p < planes; p++) inputGradient.Slice(p * pixels, pixels).Fill(outputGradient[p] * scale);
    }

    /// <summary>y[n, c] = max of x[n, c, :]; <paramref name="indices"/>[n, c] = its position (first maximum; NaN wins).</summary>
    /// <param name="planes">N·C.</param>
    /// <param name="pixels">H·W.</param>
    /// <param name="input">x, [N·C·pixels].</param>
    /// <param name="output">y, [N·C]; overwritten.</param>
    /// <param name="indices">[N·C]; overwritten with the argmax within each plane.</param>
    public static void MaxForward(int planes, int pixels, ReadOnlySpan<float> input, Span<float> output, Span<int> indices)
    {
        Check(planes, pixels, input.Length, output.Length);
        if (indices.Length != planes) throw new ArgumentException($"Global max pooling indices have {indices.Length} elements but {planes} planes need as many.");
        for (int p = 0; p < planes; p++)
        {
            var plane = input.Slice(p * pixels, pixels);
            int best = TensorPrimitives.IndexOfMax(plane);
            indices[p] = best;
            output[p] = plane[best];
        }
    }

    /// <summary>dx: dy[n, c] routed to the chosen pixel of each plane, 0 elsewhere.</summary>
    /// <param name="planes">N·C.</param>
    /// <param name="pixels">H·W.</param>
    /// <param name="outputGradient">dy, [N·C].</param>
    /// <param name="indices">The argmax positions from <see cref="MaxForward"/>.</param>
    /// <param name="inputGradient">dx, [N·C·pixels]; overwritten.</param>
    public static void MaxBackward(int planes, int pixels, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient)
    {
        Check(planes, pixels, inputGradient.Length, outputGradient.Length);
        inputGradient.Clear();
        for (int p = 0; p < planes; p++)
        {
            int at = indices[p];
            if ((uint)at >= (uint)pixels) throw new ArgumentException($"Global max pooling index {at} is outside a plane of {pixels} values.");
            inputGradient[p * pixels + at] = outputGradient[p];
        }
    }

    private static void Check(int planes, int pixels, int inputLength, int outputLength)
    {
        if (planes < 0 || pixels < 1 || (long)planes * pixels != inputLength || planes != outputLength)
        {
            throw new ArgumentException(
                $"Global pooling of {planes} planes × {pixels} pixels needs {(long)planes * pixels} inputs and {planes} outputs, " +
                $"but got {inputLength} and {outputLength}.");
        }
    }
}
