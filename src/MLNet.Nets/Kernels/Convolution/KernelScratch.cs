using System.Buffers;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Pooled scratch arrays for kernels (im2col matrices, padded planes, partial sums). Renting from the shared pool
/// means a training step in steady state reuses the same arrays instead of allocating.
/// </summary>
internal static class KernelScratch
{
    /// <summary>An array of at least <paramref name="length"/> floats with unspecified contents; give it back with <see cref="Return"/>.</summary>
    public static float[] Rent(long length)
    {
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException($"A kernel needs {length} floats of scratch, more than an array can hold.");
        }
        return ArrayPool<float>.Shared.Rent((int)Math.Max(1, length));
    }

    /// <summary>Gives back an array from <see cref="Rent"/>.</summary>
    public static void Return(float[] array) => ArrayPool<float>.Shared.Return(array);

    /// <summary>Splits <paramref name="count"/> items into <paramref name="parts"/> contiguous ranges; returns range <paramref name="part"/>.</summary>
    public static (int Start, int End) Range(int count, int parts, int part)
    {
        long start = (long)count * part / parts;
        long end = (long)count * (part + 1) / parts;
        return ((int)start, (int)end);
    }
}
