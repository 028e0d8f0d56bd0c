namespace MLNet.Nets.Kernels;

/// <summary>The instruction sets an SGEMM micro-kernel can be written for.</summary>
internal enum GemmPath
{
    /// <summary><see cref="System.Numerics.Vector{T}"/> code that runs on any hardware.</summary>
    Portable,

    /// <summary>256-bit AVX2 + FMA3, 6×16 register tile.</summary>
    Avx2,

    /// <summary>512-bit AVX-512F, 8×32 register tile.</summary>
    Avx512,
}
