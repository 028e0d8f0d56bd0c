namespace MLNet.Nets.Training;

/// <summary>
/// Seeds derived from seeds, the same in every process. (<see cref="HashCode"/> is salted per process, so a generator
/// seeded from <c>HashCode.Combine</c> gives a different sequence in each run.)
/// </summary>
internal static class Seeds
{
    /// <summary>A SplitMix64 finalizer of <paramref name="seed"/>, folded to a non-negative int: consecutive seeds give
    /// unrelated results (.NET's seeded <see cref="Random"/> gives strongly correlated first draws for them).</summary>
    public static int Scramble(int seed) => (int)(Mix((ulong)(uint)seed) & int.MaxValue);

    /// <summary>A seed for the part <paramref name="part"/> (an epoch, a layer, …) of a run seeded with <paramref name="seed"/>.</summary>
    public static int Combine(int seed, int part) => (int)(Mix(Mix((ulong)(uint)seed) ^ (uint)part) & int.MaxValue);

    /// <summary>A seed for the part (<paramref name="part"/>, <paramref name="subpart"/>) of a run seeded with <paramref name="seed"/>.</summary>
    public static int Combine(int seed, int part, long subpart) => (int)(Mix((ulong)(uint)Combine(seed, part) ^ (ulong)subpart) & int.MaxValue);

    private static ulong Mix(ulong x)
    {
        ulong z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
