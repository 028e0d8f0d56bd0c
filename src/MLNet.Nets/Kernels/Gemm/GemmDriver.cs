using System.Runtime.CompilerServices;

namespace MLNet.Nets.Kernels;

/// <summary>
/// The blocked SGEMM: packs op(B) into NR-column panels (shared by all threads) and op(A) into MR-row panels
/// (per thread, one MC×KC block at a time, sized for L2), then sweeps register-tile micro-kernels over them.
/// </summary>
/// <remarks>
/// Loop nest per work unit (a block of C rows × columns): for each MC row block, for each KC slice of k,
/// pack the A block, then for each B micro-panel (kept in L1) run the kernel down the A block's panels.
/// Threads split C's rows (or its columns when C is wide and short) into units handed out dynamically.
/// When B is not transposed and its slices are short (im2col products with k = 25..150, small problems),
/// the kernels read B in place with its row stride instead of packing it.
/// </remarks>
internal static unsafe class GemmDriver
{
    /// <summary>Target k-slice length; the slices of k are made about equal and at most this long.</summary>
    internal static int KcTarget = 512;

    /// <summary>Rows of A packed per block (rounded to MR); the block must stay in the 1 MB L2.</summary>
    internal static int McTarget = 144;

    /// <summary>Columns per work unit when splitting a wide C by columns.</summary>
    internal static int NcUnit = 1024;

    /// <summary>Most floats of packed B kept at once (the rest of n is done in column blocks): 16 MB, half of L3.</summary>
    internal static long PackedBLimit = 4L << 20;

    /// <summary>Below this m·n·k one thread does the whole product: waking the team would cost more than it saves.</summary>
    internal static long ParallelThreshold = 96L * 96 * 96;

    /// <summary>Up to this k, B (not transposed) is read in place rather than packed.</summary>
    internal static int DirectBMaxK = 160;

    /// <summary>Below this m·n·k, B (not transposed) is read in place whatever k is: it all sits in cache.</summary>
    internal static long DirectBMaxWork = 64L * 64 * 64;

    [ThreadStatic] private static AlignedBuffer? _packA;
    [ThreadStatic] private static AlignedBuffer? _packB;
    [ThreadStatic] private static AlignedBuffer? _edgeB;

    internal readonly struct Kernel(GemmPath path, int mr, int nr, delegate*<int, float*, float*, nint, float*, nint, float, float, void> function)
    {
        public readonly GemmPath Path = path;
        public readonly int MR = mr;
        public readonly int NR = nr;
        public readonly delegate*<int, float*, float*, nint, float*, nint, float, float, void> Function = function;
    }

    internal static Kernel KernelFor(GemmPath path) => path switch
    {
        GemmPath.Avx512 => new Kernel(path, 8, 32, &MicroKernels.Avx512Kernel8x32),
        GemmPath.Avx2 => new Kernel(path, 6, 16, &MicroKernels.Avx2Kernel6x16),
        _ => new Kernel(path, 4, 2 * System.Numerics.Vector<float>.Count, &MicroKernels.PortableKernel4x2V),
    };

    /// <summary>Everything one product needs, shared by reference with the worker threads.</summary>
    private struct Problem
    {
        public Kernel K;
        public bool TransA, TransB, DirectB;
        public int M, N, Kdim, Kc, Mc;
        public float Alpha, Beta;
        public float* A, B, C;
        public nint Lda, Ldb, Ldc;

        // The current column block [J0, J0 + Nb) and, unless DirectB, its packed B.
        public int J0, Nb, NPanels;
        public float* PackedB;

        // Work units of the current column block.
        public int MUnits, NUnits, MPanels;
    }

    private struct UnitBody(Problem* problem) : IParallelBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            ref Problem p = ref *problem;
            int um = index / p.NUnits, un = index % p.NUnits;
            int i0 = (int)((long)um * p.MPanels / p.MUnits) * p.K.MR;
            int i1 = Math.Min(p.M, (int)((long)(um + 1) * p.MPanels / p.MUnits) * p.K.MR);
            int j0 = (int)((long)un * p.NPanels / p.NUnits) * p.K.NR;
            int j1 = Math.Min(p.Nb, (int)((long)(un + 1) * p.NPanels / p.NUnits) * p.K.NR);
            if (i0 < i1 && j0 < j1) ComputeUnit(ref p, i0, i1, j0, j1);
        }
    }

    private struct PackBBody(Problem* problem, int slices, int groups) : IParallelBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            ref Problem p = ref *problem;
            int slice = index % slices, group = index / slices;
            int panel0 = (int)((long)group * p.NPanels / groups), panel1 = (int)((long)(group + 1) * p.NPanels / groups);
            int pc = slice * p.Kc;
            int kq = Math.Min(p.Kc, p.Kdim - pc);
            PackBSlice(ref p, pc, kq, panel0, panel1);
        }
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C for m, n ≥ 2 and k ≥ 1, alpha ≠ 0 (the caller handles the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Kernel kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        long work = (long)m * n * k;
        int threads = work < ParallelThreshold ? 1 : ParallelKernels.DegreeOfParallelism;
        int slices = (k + KcTarget - 1) / KcTarget;
        int kc = (k + slices - 1) / slices;
        Problem p = new()
        {
            K = kernel,
            TransA = transA,
            TransB = transB,
            DirectB = !transB && (k <= DirectBMaxK || work < DirectBMaxWork),
            M = m,
            N = n,
            Kdim = k,
            Kc = kc,
            Mc = Math.Max(kernel.MR, McTarget / kernel.MR * kernel.MR),
            Alpha = alpha,
            Beta = beta,
            A = a,
            B = b,
            C = c,
            Lda = lda,
            Ldb = ldb,
            Ldc = ldc,
            MPanels = (m + kernel.MR - 1) / kernel.MR,
        };
        int nr = kernel.NR;
        int nc = n;
        if (!p.DirectB)
        {
            long limitPanels = Math.Max(1, PackedBLimit / ((long)k * nr));
            nc = (int)Math.Min(n, limitPanels * nr);
        }
        for (int j0 = 0; j0 < n; j0 += nc)
        {
            p.J0 = j0;
            p.Nb = Math.Min(nc, n - j0);
            p.NPanels = (p.Nb + nr - 1) / nr;
            if (!p.DirectB)
            {
                _packB ??= new AlignedBuffer();
                p.PackedB = _packB.Get((long)k * p.NPanels * nr);
                int groups = threads == 1 || (long)k * p.Nb < 128 * 1024 ? 1 : Math.Min(p.NPanels, 4 * threads);
                if (groups == 1)
                {
                    for (int s = 0; s < slices; s++) new PackBBody(&p, slices, 1).Invoke(s);
                }
                else
                {
                    ParallelKernels.For(slices * groups, new PackBBody(&p, slices, groups));
                }
            }
            ChooseUnits(ref p, threads);
            int units = p.MUnits * p.NUnits;
            if (units == 1) new UnitBody(&p).Invoke(0);
            else ParallelKernels.For(units, new UnitBody(&p));
        }
    }

    private static void ChooseUnits(ref Problem p, int threads)
    {
        p.MUnits = 1;
        p.NUnits = 1;
        if (threads <= 1) return;
        int mBlocks = (p.M + p.Mc - 1) / p.Mc;
        if (p.Nb >= 4 * p.M && p.NPanels >= threads)
        {
            int units = Math.Max(threads, (p.Nb + NcUnit - 1) / NcUnit);
            units = (units + threads - 1) / threads * threads;
            p.NUnits = Math.Min(units, p.NPanels);
        }
        else
        {
            int units = (mBlocks + threads - 1) / threads * threads;
            p.MUnits = Math.Min(units, p.MPanels);
            if (p.MUnits < threads) p.NUnits = Math.Min(p.NPanels, (threads + p.MUnits - 1) / p.MUnits);
        }
    }

    /// <summary>Rows [i0, i1) × columns [j0, j1) of the current column block (j0 a multiple of NR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeUnit(ref Problem p, int i0, int i1, int j0, int j1)
    {
        int mr = p.K.MR, nr = p.K.NR;
        var fn = p.K.Function;
        _packA ??= new AlignedBuffer();
        float* packA = _packA.Get((long)(p.Mc + mr) * p.Kc + 64);
        float* edgeB = null;
        if (p.DirectB)
        {
            _edgeB ??= new AlignedBuffer();
            edgeB = _edgeB.Get((long)p.Kc * nr);
        }
        float* tile = stackalloc float[8 * 32];
        float alpha = p.Alpha;
        nint ldc = p.Ldc;
        for (int ic = i0; ic < i1; ic += p.Mc)
        {
            int mc = Math.Min(p.Mc, i1 - ic);
            for (int pc = 0; pc < p.Kdim; pc += p.Kc)
            {
                int kq = Math.Min(p.Kc, p.Kdim - pc);
                PackA(ref p, ic, mc, pc, kq, packA);
                float beta = pc == 0 ? p.Beta : 1f;
                for (int jr = j0; jr < j1; jr += nr)
                {
                    int nw = Math.Min(nr, j1 - jr);
                    int jAbs = p.J0 + jr;
                    float* bp;
                    nint bStride;
                    if (!p.DirectB)
                    {
                        bp = p.PackedB + (long)pc * p.NPanels * nr + (long)(jr / nr) * kq * nr;
                        bStride = nr;
                    }
                    else if (nw == nr)
                    {
                        bp = p.B + pc * p.Ldb + jAbs;
                        bStride = p.Ldb;
                    }
                    else
                    {
                        PackBPanel(ref p, pc, kq, jAbs, nw, edgeB);
                        bp = edgeB;
                        bStride = nr;
                    }
                    float* cRow = p.C + ic * ldc + jAbs;
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int mw = Math.Min(mr, mc - ir);
                        float* ap = packA + (long)ir * kq;
                        float* cp = cRow + ir * ldc;
                        if (mw == mr && nw == nr)
                        {
                            fn(kq, ap, bp, bStride, cp, ldc, alpha, beta);
                        }
                        else
                        {
                            fn(kq, ap, bp, bStride, tile, nr, 1f, 0f);
                            MergeTile(tile, nr, cp, ldc, mw, nw, alpha, beta);
                        }
                    }
                }
            }
        }
    }

    private static void MergeTile(float* tile, int tileStride, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        for (int r = 0; r < rows; r++)
        {
            float* t = tile + r * tileStride;
            float* cr = c + r * ldc;
            if (beta == 0)
            {
                for (int j = 0; j < cols; j++) cr[j] = alpha * t[j];
            }
            else
            {
                for (int j = 0; j < cols; j++) cr[j] = alpha * t[j] + beta * cr[j];
            }
        }
    }

    /// <summary>Packs op(A) rows [i0, i0 + mc) × k [pc, pc + kq) into MR-row panels: panel-major, then k, then row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(ref Problem p, int i0, int mc, int pc, int kq, float* dst)
    {
        int mr = p.K.MR;
        nint lda = p.Lda;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* d = dst + (long)ir * kq;
            if (!p.TransA)
            {
                float* src = p.A + (i0 + ir) * lda + pc;
                if (rows == 6 && mr == 6)
                {
                    float* s0 = src, s1 = src + lda, s2 = src + 2 * lda, s3 = src + 3 * lda, s4 = src + 4 * lda, s5 = src + 5 * lda;
                    for (int q = 0; q < kq; q++, d += 6)
                    {
                        d[0] = s0[q]; d[1] = s1[q]; d[2] = s2[q]; d[3] = s3[q]; d[4] = s4[q]; d[5] = s5[q];
                    }
                }
                else
                {
                    for (int q = 0; q < kq; q++, d += mr)
                    {
                        int r = 0;
                        for (; r < rows; r++) d[r] = src[r * lda + q];
                        for (; r < mr; r++) d[r] = 0;
                    }
                }
            }
            else
            {
                float* src = p.A + pc * lda + i0 + ir;
                for (int q = 0; q < kq; q++, d += mr, src += lda)
                {
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = 0;
                }
            }
        }
    }

    /// <summary>Packs op(B) k [pc, pc + kq) × panels [panel0, panel1) of the current column block into the shared buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBSlice(ref Problem p, int pc, int kq, int panel0, int panel1)
    {
        int nr = p.K.NR;
        float* slice = p.PackedB + (long)pc * p.NPanels * nr;
        for (int panel = panel0; panel < panel1; panel++)
        {
            int j = panel * nr;
            PackBPanel(ref p, pc, kq, p.J0 + j, Math.Min(nr, p.Nb - j), slice + (long)panel * kq * nr);
        }
    }

    /// <summary>Packs op(B) k [pc, pc + kq) × columns [j, j + cols) into one NR-wide panel, zero-padding missing columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBPanel(ref Problem p, int pc, int kq, int j, int cols, float* dst)
    {
        int nr = p.K.NR;
        nint ldb = p.Ldb;
        if (!p.TransB)
        {
            float* src = p.B + pc * ldb + j;
            if (cols == nr)
            {
                for (int q = 0; q < kq; q++, src += ldb, dst += nr)
                {
                    Unsafe.CopyBlockUnaligned(dst, src, (uint)(nr * sizeof(float)));
                }
            }
            else
            {
                for (int q = 0; q < kq; q++, src += ldb, dst += nr)
                {
                    int c = 0;
                    for (; c < cols; c++) dst[c] = src[c];
                    for (; c < nr; c++) dst[c] = 0;
                }
            }
        }
        else
        {
            // B is stored n×k: column j of op(B) is row j of B, contiguous in k.
            float* src = p.B + j * ldb + pc;
            for (int c = 0; c < cols; c++)
            {
                float* s = src + c * ldb;
                float* d = dst + c;
                for (int q = 0; q < kq; q++) d[q * nr] = s[q];
            }
            for (int c = cols; c < nr; c++)
            {
                float* d = dst + c;
                for (int q = 0; q < kq; q++) d[q * nr] = 0;
            }
        }
    }
}
