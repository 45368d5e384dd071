using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autograd.Kernels;

/// <summary>
/// Single-precision general matrix multiply, C = (accumulate ? C : 0) + op(A)·op(B), row-major.
/// </summary>
/// <remarks>
/// BLIS/Goto structure: op(B) is packed KC×NC at a time into NR-column micro-panels (L1-resident per
/// micro-tile sweep, the whole block L2/L3-resident), op(A) is packed MC×KC into MR-row micro-panels
/// (L2-resident), and a register-blocked micro-kernel keeps an MR×NR tile of C in vector registers
/// while streaming the two micro-panels. Transposed operands are read in place by the packing
/// routines; a narrow C (n &lt; NR) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ.
/// <para>
/// Determinism: for every KC-deep block of k, in order, an element of C receives
/// s = fma(a[i,p₁], b[p₁,j], … fma(a[i,p₀], b[p₀,j], 0)) summed over the block in k order, then
/// c = c + s (or c = s for the first block when not accumulating); the scalar fallback multiplies
/// and adds separately. That sequence depends only on k and KC, never on which tile, block, part or
/// thread computes the element, so results are bit-identical for any
/// <see cref="Autograd.Parallelism.NumThreads"/>. Which path runs (tiny loop, transposed product,
/// in-place B) is decided from m, n, k and the layout alone.
/// </para>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>
    /// Depth of a packed block. Each C tile is read and written once per KC block, so a deeper block halves that
    /// traffic for large k; the B micro-panel (KC·NR·4 = 64 KiB) then streams from L2 rather than sitting in the
    /// 48 KiB L1, which measured cheaper. Measured against KC = 256 with MC = 168, best of 12 alternating runs in one
    /// process: n = 2048 NN 200 → 209 GFLOP/s, TN 168 → 189, NT 198 → 208, 2 threads 351 → 386; n = 1024 TN
    /// 170 → 187; n = 512 207 → 217; the mlp shapes (k ≤ 784) unchanged. KC = 768 with MC = 72 was level with this.
    /// </summary>
    private const int Kc = 512;

    /// <summary>How many source rows ahead <see cref="PackRows"/> prefetches short rows.</summary>
    private const int PackPrefetchRowsAhead = 8;

    /// <summary>Rows up to this many floats (eight cache lines) count as short for <see cref="PackRows"/>.</summary>
    private const int PackPrefetchMaximumRow = 128;

    /// <summary>
    /// Target rows of a packed A block (a multiple of MR = 12 and 6): MC·KC·4 = 192 KiB, L2-resident (1 MiB per
    /// core) next to the B micro-panel streaming through. With KC = 512, MC = 72–120 measured alike and 168 2% slower.
    /// </summary>
    private const int Mc = 96;

    /// <summary>
    /// Columns of a packed B block: KC·NC·4 = 4 MiB, L3-resident (32 MiB), the same pack buffer as before KC
    /// doubled. A is repacked for every NC block; with KC = 256, NC = 512 was 2–5% slower than one block at
    /// n = 1024/2048.
    /// </summary>
    private const int Nc = 2048;

    /// <summary>
    /// Products of at most this many multiply-adds use a plain loop. Measured crossover: 8×8×8 takes
    /// 0.31 µs plain vs 0.39 µs packed, 12×12×12 1.15 µs plain vs 0.30 µs packed.
    /// </summary>
    private const long TinyMacs = 512;

    /// <summary>
    /// Products of at least this many multiply-adds (≈ 5 µs on one core) are split across threads.
    /// With a polling worker an empty two-part hand-off costs 0.3–0.5 µs, and back-to-back products
    /// measured 64×64×128 6.1 → 3.7 µs, 80³ 6.7 → 4.5 µs, 96³ 8.4 → 4.7 µs on two threads, while
    /// 64³ (262 144) was break-even (3.1 µs vs 2.1–3.3 µs). A parked worker takes 0.3–1 ms to wake on
    /// the test VM; the caller never waits for it (it claims the parts itself), so a cold pool costs
    /// only the wake-up call.
    /// </summary>
    private const long ParallelMacs = 1L << 19;

    /// <summary>
    /// Largest m for which a non-transposed B is read in place by the micro-kernel (row stride ldb)
    /// instead of packed: with few A micro-panels a packed B panel is reused too rarely to pay for the
    /// copy. Measured: 64×256×784 145 → 133 µs, 32×1024×1024 657 → 409 µs, 168×1024×1024 unchanged.
    /// </summary>
    private const int DirectBMaxM = 128;

    /// <summary>Floats in the stack buffer that edge and transposed C tiles go through (≥ MR·NR of every kernel).</summary>
    private const int MaxTile = 512;

    /// <summary>Cap on the parts one product is split into (the pool addresses parts with 16 bits).</summary>
    private const int MaxThreads = 1024;

    private const int ScalarMr = 4;
    private const int ScalarNr = 8;

    private static readonly MicroKernel s_kernel = SelectKernel();

    [ThreadStatic]
    private static PackBuffers? s_buffers;

    /// <summary>Gets the micro-kernel this process dispatches to, as "isa MR×NR", for diagnostics and tests.</summary>
    internal static string KernelName => $"{s_kernel.Name} {s_kernel.Mr}×{s_kernel.Nr}";

    [ThreadStatic]
    private static GemmWork? s_work;

    [ThreadStatic]
    private static BatchWork? s_batchWork;

    /// <summary>
    /// C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major; op(A) is m×k, op(B) is k×n.
    /// </summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transA"/>) with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Leading dimension (elements between consecutive stored rows) of A.</param>
    /// <param name="transA">A is stored k×m and read transposed in place.</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transB"/>) with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="transB">B is stored n×k and read transposed in place.</param>
    /// <param name="c">C, m×n with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="accumulate">Add the product to the existing C instead of overwriting it.</param>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is smaller than its row, or a span is too short.</exception>
    internal static void Multiply(ReadOnlySpan<float> a, int lda, bool transA,
                                  ReadOnlySpan<float> b, int ldb, bool transB,
                                  Span<float> c, int ldc, int m, int n, int k, bool accumulate)
    {
        MultiplyBatched(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, 1, 0, 0, 0);
    }

    /// <summary>
    /// Batched <see cref="Multiply"/>: for t in 0..batch-1, C_t = (accumulate ? C_t : 0) + op(A_t)·op(B_t)
    /// where X_t starts at element t·strideX of its span. A stride of 0 broadcasts one matrix to every
    /// product; for C this sums all products into the one matrix (the first honouring
    /// <paramref name="accumulate"/>, the rest accumulating), as needed to reduce a broadcast operand's gradient.
    /// </summary>
    /// <param name="a">A matrices; see <see cref="Multiply"/>.</param>
    /// <param name="lda">Leading dimension of each A.</param>
    /// <param name="transA">Each A is stored k×m and read transposed.</param>
    /// <param name="b">B matrices.</param>
    /// <param name="ldb">Leading dimension of each B.</param>
    /// <param name="transB">Each B is stored n×k and read transposed.</param>
    /// <param name="c">C matrices.</param>
    /// <param name="ldc">Leading dimension of each C.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="accumulate">Add the products to the existing C instead of overwriting.</param>
    /// <param name="batch">Number of products.</param>
    /// <param name="strideA">Elements between consecutive A matrices (0 = broadcast).</param>
    /// <param name="strideB">Elements between consecutive B matrices (0 = broadcast).</param>
    /// <param name="strideC">Elements between consecutive C matrices (0 = sum into one C).</param>
    /// <exception cref="ArgumentException">A dimension or stride is negative, a leading dimension is smaller than its row, or a span is too short.</exception>
    internal static void MultiplyBatched(ReadOnlySpan<float> a, int lda, bool transA,
                                         ReadOnlySpan<float> b, int ldb, bool transB,
                                         Span<float> c, int ldc, int m, int n, int k, bool accumulate,
                                         int batch, int strideA, int strideB, int strideC)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(strideA);
        ArgumentOutOfRangeException.ThrowIfNegative(strideB);
        ArgumentOutOfRangeException.ThrowIfNegative(strideC);
        CheckOperand(a.Length, lda, transA ? k : m, transA ? m : k, batch, strideA, nameof(a), nameof(lda));
        CheckOperand(b.Length, ldb, transB ? n : k, transB ? k : n, batch, strideB, nameof(b), nameof(ldb));
        CheckOperand(c.Length, ldc, m, n, batch, strideC, nameof(c), nameof(ldc));
        if (m == 0 || n == 0 || batch == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            // Many small products (attention heads, per-sample matrices) are spread over threads a
            // whole product at a time when each is too small to split but together they are not and
            // their outputs are disjoint; a product is then computed exactly as on one thread.
            long macs = (long)m * n * k;
            int threads = Math.Min(Parallelism.NumThreads, MaxThreads);
            if (threads > 1 && batch > 1 && macs < ParallelMacs && macs * batch >= ParallelMacs &&
                strideC >= ((long)(m - 1) * ldc) + n)
            {
                BatchWork work = s_batchWork ??= new BatchWork();
                int parts = Math.Min(threads, batch);
                work.Set(pa, lda, transA, strideA, pb, ldb, transB, strideB, pc, ldc, strideC, m, n, k, accumulate, batch, parts);
                try
                {
                    WorkerPool.Run(work, parts, parts);
                }
                finally
                {
                    work.Clear();
                }

                return;
            }

            for (int t = 0; t < batch; t++)
            {
                bool acc = accumulate || (strideC == 0 && t > 0);
                Core(pa + ((long)t * strideA), lda, transA, pb + ((long)t * strideB), ldb, transB,
                     pc + ((long)t * strideC), ldc, m, n, k, acc);
            }
        }
    }

    private static void CheckOperand(int length, int ld, int rows, int cols, int batch, int stride, string name, string ldName)
    {
        if (rows == 0 || cols == 0 || batch == 0)
        {
            return;
        }

        if (ld < cols)
        {
            throw new ArgumentException($"Leading dimension {ld} is smaller than the stored row length {cols}.", ldName);
        }

        long extent = ((long)(rows - 1) * ld) + cols;
        long required = ((long)(batch - 1) * stride) + extent;
        if (length < required)
        {
            throw new ArgumentException(
                $"Span of length {length} is too short: a {rows}×{cols} matrix with leading dimension {ld}" +
                (batch > 1 ? $", batch {batch} and stride {stride}" : string.Empty) + $" needs {required} elements.",
                name);
        }
    }

    private static void Core(float* a, int lda, bool transA, float* b, int ldb, bool transB,
                             float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(c + ((long)i * ldc), n).Clear();
                }
            }

            return;
        }

        long macs = (long)m * n * k;
        if (macs <= TinyMacs)
        {
            Naive(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate);
            return;
        }

        // Narrow C (n < NR, e.g. a 10-class output layer): compute Cᵀ = op(B)ᵀ·op(A)ᵀ instead, so the
        // vector lanes run along m rather than over zero padding of n; C is then written through the
        // tile buffer with swapped strides. Measured 64×10×256: 10.4 µs → 4.4 µs.
        MicroKernel uk = s_kernel;
        nint rsc = ldc, csc = 1;
        if (n < uk.Nr && m > n)
        {
            float* t = a;
            a = b;
            b = t;
            (lda, transA, ldb, transB) = (ldb, !transB, lda, !transA);
            (m, n) = (n, m);
            (rsc, csc) = (csc, rsc);
        }

        bool directB = !transB && m <= DirectBMaxM;
        int threads = macs >= ParallelMacs ? Math.Min(Parallelism.NumThreads, MaxThreads) : 1;
        if (threads > 1)
        {
            // Split M or N into whole micro-tiles (never K). Each part packs its own slice of the split
            // operand and all of the other one, so split the dimension whose duplicated packing is
            // cheaper: a transposing pack (Interleave) costs about twice a row copy (PackRows) per
            // element, and a directly streamed B is not packed at all.
            double dupA = (double)m * k * (transA ? 1 : 2);
            double dupB = directB ? 0 : (double)n * k * (transB ? 2 : 1);
            bool splitN = n / uk.Nr >= threads && (m / uk.Mr < threads || dupA <= dupB);
            int unit = splitN ? uk.Nr : uk.Mr;
            int tiles = ((splitN ? n : m) + unit - 1) / unit;
            int parts = Math.Min(threads, tiles);
            if (parts > 1)
            {
                GemmWork work = s_work ??= new GemmWork();
                work.Set(uk, a, lda, transA, b, ldb, transB, c, rsc, csc, m, n, k, accumulate, directB, splitN, unit, tiles, parts);
                try
                {
                    WorkerPool.Run(work, parts, parts);
                }
                finally
                {
                    work.Clear();
                }

                return;
            }
        }

        Blocked(uk, a, lda, transA, b, ldb, transB, c, rsc, csc, m, n, k, accumulate, directB);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Naive(float* a, int lda, bool transA, float* b, int ldb, bool transB,
                              float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        nint sai = transA ? 1 : lda, sap = transA ? lda : 1;
        nint sbp = transB ? 1 : ldb, sbj = transB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            float* ai = a + (i * sai);
            float* ci = c + ((nint)i * ldc);
            for (int j = 0; j < n; j++)
            {
                float* bj = b + (j * sbj);
                float s = accumulate ? ci[j] : 0f;
                for (int p = 0; p < k; p++)
                {
                    s += ai[p * sap] * bj[p * sbp];
                }

                ci[j] = s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked(MicroKernel uk, float* a, int lda, bool transA, float* b, int ldb, bool transB,
                                float* c, nint rsc, nint csc, int m, int n, int k, bool accumulate, bool directB)
    {
        int mr = uk.Mr, nr = uk.Nr;
        int mcMax = Math.Max(mr, Mc / mr * mr);
        int ncMax = Math.Min(Nc, (n + nr - 1) / nr * nr);
        PackBuffers buffers = s_buffers ??= new PackBuffers();
        float* ap = buffers.A(mcMax * Kc);
        float* bp = buffers.B(ncMax * Kc);
        float* tile = stackalloc float[MaxTile];
        delegate* managed<int, float*, float*, nint, float*, nint, bool, void> fn = uk.Fn;

        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            int ncFull = directB ? nc / nr * nr : 0;
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kc = Math.Min(Kc, k - pc);
                bool load = accumulate || pc > 0;
                PackB(b, ldb, transB, pc, jc + ncFull, kc, nc - ncFull, nr, bp);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    PackA(a, lda, transA, ic, pc, mc, kc, mr, ap);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrCur = Math.Min(nr, nc - jr);
                        float* bPanel;
                        nint bStride;
                        if (jr < ncFull)
                        {
                            bPanel = b + ((long)pc * ldb) + jc + jr;
                            bStride = ldb;
                        }
                        else
                        {
                            bPanel = bp + ((long)(jr - ncFull) * kc);
                            bStride = nr;
                        }

                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrCur = Math.Min(mr, mc - ir);
                            float* aPanel = ap + ((long)ir * kc);
                            float* cTile = c + ((ic + ir) * rsc) + ((jc + jr) * csc);
                            if (mrCur == mr && nrCur == nr && csc == 1)
                            {
                                fn(kc, aPanel, bPanel, bStride, cTile, rsc, load);
                                continue;
                            }

                            var edge = uk.For(mrCur, out int rows);
                            if (rows == mrCur && nrCur == nr && csc == 1)
                            {
                                edge(kc, aPanel, bPanel, bStride, cTile, rsc, load);
                            }
                            else
                            {
                                PartialTile(edge, kc, aPanel, bPanel, bStride, cTile, rsc, csc, load, mr, nr, mrCur, nrCur, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Runs the kernel on an edge or transposed C tile through a dense mr×nr buffer (C element (r, j) at r·rsc + j·csc).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void PartialTile(delegate* managed<int, float*, float*, nint, float*, nint, bool, void> fn,
                                    int kc, float* aPanel, float* bPanel, nint bStride, float* cTile, nint rsc, nint csc, bool load,
                                    int mr, int nr, int mrCur, int nrCur, float* tile)
    {
        if (load)
        {
            for (int r = 0; r < mrCur; r++)
            {
                float* src = cTile + (r * rsc);
                float* dst = tile + (r * nr);
                if (csc == 1)
                {
                    CopyPadded(src, dst, nrCur, nrCur);
                }
                else
                {
                    for (int j = 0; j < nrCur; j++)
                    {
                        dst[j] = src[j * csc];
                    }
                }
            }
        }

        fn(kc, aPanel, bPanel, bStride, tile, nr, load);
        for (int r = 0; r < mrCur; r++)
        {
            float* src = tile + (r * nr);
            float* dst = cTile + (r * rsc);
            if (csc == 1)
            {
                CopyPadded(src, dst, nrCur, nrCur);
            }
            else
            {
                for (int j = 0; j < nrCur; j++)
                {
                    dst[j * csc] = src[j];
                }
            }
        }
    }

    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] into ⌈mc/mr⌉ micro-panels laid out [p][r], zero-padding missing rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* a, int lda, bool transA, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        if (transA)
        {
            PackRows(a + ((long)pc * lda) + ic, lda, mc, kc, dst, mr);
            return;
        }

        for (int ir = 0; ir < mc; ir += mr)
        {
            Interleave(a + ((long)(ic + ir) * lda) + pc, lda, Math.Min(mr, mc - ir), kc, dst + ((long)ir * kc), mr);
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into ⌈nc/nr⌉ micro-panels laid out [p][j], zero-padding missing columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float* b, int ldb, bool transB, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        if (!transB)
        {
            PackRows(b + ((long)pc * ldb) + jc, ldb, nc, kc, dst, nr);
            return;
        }

        for (int jr = 0; jr < nc; jr += nr)
        {
            Interleave(b + ((long)(jc + jr) * ldb) + pc, ldb, Math.Min(nr, nc - jr), kc, dst + ((long)jr * kc), nr);
        }
    }

    /// <summary>
    /// Non-transposing pack: source row p (length <paramref name="total"/>) is cut into width-wide
    /// pieces, piece q going to panel q at dst[q·width·kc + p·width], the last one zero-padded. Walking
    /// whole source rows uses every fetched cache line at once; going panel by panel instead touched
    /// each 4 KiB-strided row once per panel and cost twice as much.
    /// </summary>
    /// <remarks>
    /// Short rows (op(A) = Aᵀ: MC = 96 floats of each of KC rows, one 4 KiB page apart) give the hardware prefetcher
    /// six lines per page, too few to train on, so the rows <see cref="PackPrefetchRowsAhead"/> ahead are prefetched
    /// here. That halved the pack's share of a 1024³ Aᵀ·B (perf samples in PackRows per sample in the kernel: 12–13%
    /// → 6.6–6.7%); 4 and 16 rows ahead measured alike. Long rows are left to the hardware.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRows(float* src, nint ld, int total, int kc, float* dst, int width)
    {
        int full = total / width * width;
        bool prefetch = Sse.IsSupported && total <= PackPrefetchMaximumRow;
        for (int p = 0; p < kc; p++)
        {
            float* s = src + (p * ld);
            float* d = dst + (p * width);
            if (prefetch && p + PackPrefetchRowsAhead < kc)
            {
                float* ahead = s + (PackPrefetchRowsAhead * ld);
                for (int x = 0; x < total; x += 16)
                {
                    Sse.Prefetch0(ahead + x);
                }
            }

            int q = 0;
            for (; q < full; q += width)
            {
                CopyPadded(s + q, d + ((long)q * kc), width, width);
            }

            if (q < total)
            {
                CopyPadded(s + q, d + ((long)q * kc), total - q, width);
            }
        }
    }

    /// <summary>
    /// Transposing pack: dst[p·width + r] = src[r·ld + p] for r &lt; rows, p &lt; kc, and 0 for
    /// rows ≤ r &lt; width. Groups of 8 and 4 source rows go through in-register 8×8 / 4×4 transposes
    /// (a scalar element-by-element loop measured ~9 cycles per element here, 20% of a 1024³ product).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(float* src, nint ld, int rows, int kc, float* dst, int width)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 8 <= rows; r += 8)
            {
                float* s = src + (r * ld);
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(s + p, ld, dst + (p * width) + r, width);
                }

                for (; p < kc; p++)
                {
                    for (int i = 0; i < 8; i++)
                    {
                        dst[(p * width) + r + i] = s[(i * ld) + p];
                    }
                }
            }
        }

        if (Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                float* s = src + (r * ld);
                int p = 0;
                for (; p + 4 <= kc; p += 4)
                {
                    Transpose4x4(s + p, ld, dst + (p * width) + r, width);
                }

                for (; p < kc; p++)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        dst[(p * width) + r + i] = s[(i * ld) + p];
                    }
                }
            }
        }

        if (r < width)
        {
            for (int p = 0; p < kc; p++)
            {
                float* d = dst + (p * width);
                for (int i = r; i < rows; i++)
                {
                    d[i] = src[(i * ld) + p];
                }

                for (int i = Math.Max(r, rows); i < width; i++)
                {
                    d[i] = 0f;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ld, float* d, nint dw)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld);
        Vector256<float> r2 = Avx.LoadVector256(s + (2 * ld)), r3 = Avx.LoadVector256(s + (3 * ld));
        Vector256<float> r4 = Avx.LoadVector256(s + (4 * ld)), r5 = Avx.LoadVector256(s + (5 * ld));
        Vector256<float> r6 = Avx.LoadVector256(s + (6 * ld)), r7 = Avx.LoadVector256(s + (7 * ld));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(d + dw, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(d + (2 * dw), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(d + (3 * dw), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(d + (4 * dw), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(d + (5 * dw), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(d + (6 * dw), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(d + (7 * dw), Avx.Permute2x128(s3, s7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* s, nint ld, float* d, nint dw)
    {
        Vector128<float> r0 = Sse.LoadVector128(s), r1 = Sse.LoadVector128(s + ld);
        Vector128<float> r2 = Sse.LoadVector128(s + (2 * ld)), r3 = Sse.LoadVector128(s + (3 * ld));
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(d + dw, Sse.MoveHighToLow(t1, t0));
        Sse.Store(d + (2 * dw), Sse.MoveLowToHigh(t2, t3));
        Sse.Store(d + (3 * dw), Sse.MoveHighToLow(t3, t2));
    }

    /// <summary>
    /// Copies <paramref name="count"/> floats and zero-fills up to <paramref name="width"/>, never
    /// touching src beyond count. Tails use narrower vectors rather than AVX-512 masked loads: a masked
    /// load whose disabled lanes cross into the next line ran ~100 cycles (microcode assist) on this
    /// Zen 5 and made a 64×10×256 product 2.5× slower whenever the operand happened to sit at such an offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(float* src, float* dst, int count, int width)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - 16; i += 16)
            {
                Vector512.Store(Vector512.Load(src + i), dst + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector128.Store(Vector128.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }

        for (; i < width; i++)
        {
            dst[i] = 0f;
        }
    }

    private static MicroKernel SelectKernel()
    {
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            // A 64-row operand (the mlp batch) is five 12-row panels and 4 rows: through the 12-row kernel that
            // edge cost as much as a full panel (64×784·784×256 took as long as 72×784·784×256).
            return new MicroKernel("avx512", 12, 32, &Kernel512) { Rows4 = &Kernel512Rows4, Rows8 = &Kernel512Rows8 };
        }

        if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            return new MicroKernel("avx2", 6, 16, &Kernel256);
        }

        return new MicroKernel("scalar", ScalarMr, ScalarNr, &KernelScalar);
    }

    /// <summary>Portable micro-kernel for CPUs without FMA vector support: same packed layout, plain multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelScalar(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool load)
    {
        float* acc = stackalloc float[ScalarMr * ScalarNr];
        for (int r = 0; r < ScalarMr; r++)
        {
            for (int j = 0; j < ScalarNr; j++)
            {
                acc[(r * ScalarNr) + j] = load ? c[(r * ldc) + j] : 0f;
            }
        }

        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < ScalarMr; r++)
            {
                float ar = a[r];
                float* row = acc + (r * ScalarNr);
                for (int j = 0; j < ScalarNr; j++)
                {
                    row[j] += ar * b[j];
                }
            }

            a += ScalarMr;
            b += bStride;
        }

        for (int r = 0; r < ScalarMr; r++)
        {
            for (int j = 0; j < ScalarNr; j++)
            {
                c[(r * ldc) + j] = acc[(r * ScalarNr) + j];
            }
        }
    }

    // <micro-kernels> generated by tools/genkernels.py
    /// <summary>
    /// AVX-512 micro-kernel: C[12×32] = (load ? C : 0) + Ap[kc×12]ᵀ·Bp[kc×32], the product summed from zero in
    /// 24 zmm accumulators and added to C once at the end (the C tile is prefetched meanwhile).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool load)
    {
        Sse.Prefetch0(c);
        Sse.Prefetch0(c + 31);
        Sse.Prefetch0(c + ldc);
        Sse.Prefetch0(c + ldc + 31);
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (2 * ldc) + 31);
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (3 * ldc) + 31);
        Sse.Prefetch0(c + (4 * ldc));
        Sse.Prefetch0(c + (4 * ldc) + 31);
        Sse.Prefetch0(c + (5 * ldc));
        Sse.Prefetch0(c + (5 * ldc) + 31);
        Sse.Prefetch0(c + (6 * ldc));
        Sse.Prefetch0(c + (6 * ldc) + 31);
        Sse.Prefetch0(c + (7 * ldc));
        Sse.Prefetch0(c + (7 * ldc) + 31);
        Sse.Prefetch0(c + (8 * ldc));
        Sse.Prefetch0(c + (8 * ldc) + 31);
        Sse.Prefetch0(c + (9 * ldc));
        Sse.Prefetch0(c + (9 * ldc) + 31);
        Sse.Prefetch0(c + (10 * ldc));
        Sse.Prefetch0(c + (10 * ldc) + 31);
        Sse.Prefetch0(c + (11 * ldc));
        Sse.Prefetch0(c + (11 * ldc) + 31);
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        Vector512<float> c8a = default, c8b = default;
        Vector512<float> c9a = default, c9b = default;
        Vector512<float> c10a = default, c10b = default;
        Vector512<float> c11a = default, c11b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0a = Avx512F.FusedMultiplyAdd(a0, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(a0, b1, c0b);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c1a = Avx512F.FusedMultiplyAdd(a1, b0, c1a);
            c1b = Avx512F.FusedMultiplyAdd(a1, b1, c1b);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c2a = Avx512F.FusedMultiplyAdd(a2, b0, c2a);
            c2b = Avx512F.FusedMultiplyAdd(a2, b1, c2b);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c3a = Avx512F.FusedMultiplyAdd(a3, b0, c3a);
            c3b = Avx512F.FusedMultiplyAdd(a3, b1, c3b);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c4a = Avx512F.FusedMultiplyAdd(a4, b0, c4a);
            c4b = Avx512F.FusedMultiplyAdd(a4, b1, c4b);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c5a = Avx512F.FusedMultiplyAdd(a5, b0, c5a);
            c5b = Avx512F.FusedMultiplyAdd(a5, b1, c5b);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c6a = Avx512F.FusedMultiplyAdd(a6, b0, c6a);
            c6b = Avx512F.FusedMultiplyAdd(a6, b1, c6b);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c7a = Avx512F.FusedMultiplyAdd(a7, b0, c7a);
            c7b = Avx512F.FusedMultiplyAdd(a7, b1, c7b);
            Vector512<float> a8 = Vector512.Create(a[8]);
            c8a = Avx512F.FusedMultiplyAdd(a8, b0, c8a);
            c8b = Avx512F.FusedMultiplyAdd(a8, b1, c8b);
            Vector512<float> a9 = Vector512.Create(a[9]);
            c9a = Avx512F.FusedMultiplyAdd(a9, b0, c9a);
            c9b = Avx512F.FusedMultiplyAdd(a9, b1, c9b);
            Vector512<float> a10 = Vector512.Create(a[10]);
            c10a = Avx512F.FusedMultiplyAdd(a10, b0, c10a);
            c10b = Avx512F.FusedMultiplyAdd(a10, b1, c10b);
            Vector512<float> a11 = Vector512.Create(a[11]);
            c11a = Avx512F.FusedMultiplyAdd(a11, b0, c11a);
            c11b = Avx512F.FusedMultiplyAdd(a11, b1, c11b);
            a += 12;
            b += bStride;
        }

        if (load)
        {
            c0a += Vector512.Load(c);
            c0b += Vector512.Load(c + 16);
            c1a += Vector512.Load(c + ldc);
            c1b += Vector512.Load(c + ldc + 16);
            c2a += Vector512.Load(c + (2 * ldc));
            c2b += Vector512.Load(c + (2 * ldc) + 16);
            c3a += Vector512.Load(c + (3 * ldc));
            c3b += Vector512.Load(c + (3 * ldc) + 16);
            c4a += Vector512.Load(c + (4 * ldc));
            c4b += Vector512.Load(c + (4 * ldc) + 16);
            c5a += Vector512.Load(c + (5 * ldc));
            c5b += Vector512.Load(c + (5 * ldc) + 16);
            c6a += Vector512.Load(c + (6 * ldc));
            c6b += Vector512.Load(c + (6 * ldc) + 16);
            c7a += Vector512.Load(c + (7 * ldc));
            c7b += Vector512.Load(c + (7 * ldc) + 16);
            c8a += Vector512.Load(c + (8 * ldc));
            c8b += Vector512.Load(c + (8 * ldc) + 16);
            c9a += Vector512.Load(c + (9 * ldc));
            c9b += Vector512.Load(c + (9 * ldc) + 16);
            c10a += Vector512.Load(c + (10 * ldc));
            c10b += Vector512.Load(c + (10 * ldc) + 16);
            c11a += Vector512.Load(c + (11 * ldc));
            c11b += Vector512.Load(c + (11 * ldc) + 16);
        }

        Vector512.Store(c0a, c);
        Vector512.Store(c0b, c + 16);
        Vector512.Store(c1a, c + ldc);
        Vector512.Store(c1b, c + ldc + 16);
        Vector512.Store(c2a, c + (2 * ldc));
        Vector512.Store(c2b, c + (2 * ldc) + 16);
        Vector512.Store(c3a, c + (3 * ldc));
        Vector512.Store(c3b, c + (3 * ldc) + 16);
        Vector512.Store(c4a, c + (4 * ldc));
        Vector512.Store(c4b, c + (4 * ldc) + 16);
        Vector512.Store(c5a, c + (5 * ldc));
        Vector512.Store(c5b, c + (5 * ldc) + 16);
        Vector512.Store(c6a, c + (6 * ldc));
        Vector512.Store(c6b, c + (6 * ldc) + 16);
        Vector512.Store(c7a, c + (7 * ldc));
        Vector512.Store(c7b, c + (7 * ldc) + 16);
        Vector512.Store(c8a, c + (8 * ldc));
        Vector512.Store(c8b, c + (8 * ldc) + 16);
        Vector512.Store(c9a, c + (9 * ldc));
        Vector512.Store(c9b, c + (9 * ldc) + 16);
        Vector512.Store(c10a, c + (10 * ldc));
        Vector512.Store(c10b, c + (10 * ldc) + 16);
        Vector512.Store(c11a, c + (11 * ldc));
        Vector512.Store(c11b, c + (11 * ldc) + 16);
    }

    /// <summary>
    /// AVX-512 edge kernel: C[8×32] = (load ? C : 0) + Ap[kc×8]ᵀ·Bp[kc×32], the product summed from zero in
    /// 16 zmm accumulators and added to C once at the end (the C tile is prefetched meanwhile).
    /// Reads the first 8 rows of an A panel packed 12 wide; each C element gets the same sums in the same
    /// order as from the 12-row kernel, so results do not depend on which kernel a row went through.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512Rows8(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool load)
    {
        Sse.Prefetch0(c);
        Sse.Prefetch0(c + 31);
        Sse.Prefetch0(c + ldc);
        Sse.Prefetch0(c + ldc + 31);
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (2 * ldc) + 31);
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (3 * ldc) + 31);
        Sse.Prefetch0(c + (4 * ldc));
        Sse.Prefetch0(c + (4 * ldc) + 31);
        Sse.Prefetch0(c + (5 * ldc));
        Sse.Prefetch0(c + (5 * ldc) + 31);
        Sse.Prefetch0(c + (6 * ldc));
        Sse.Prefetch0(c + (6 * ldc) + 31);
        Sse.Prefetch0(c + (7 * ldc));
        Sse.Prefetch0(c + (7 * ldc) + 31);
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0a = Avx512F.FusedMultiplyAdd(a0, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(a0, b1, c0b);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c1a = Avx512F.FusedMultiplyAdd(a1, b0, c1a);
            c1b = Avx512F.FusedMultiplyAdd(a1, b1, c1b);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c2a = Avx512F.FusedMultiplyAdd(a2, b0, c2a);
            c2b = Avx512F.FusedMultiplyAdd(a2, b1, c2b);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c3a = Avx512F.FusedMultiplyAdd(a3, b0, c3a);
            c3b = Avx512F.FusedMultiplyAdd(a3, b1, c3b);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c4a = Avx512F.FusedMultiplyAdd(a4, b0, c4a);
            c4b = Avx512F.FusedMultiplyAdd(a4, b1, c4b);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c5a = Avx512F.FusedMultiplyAdd(a5, b0, c5a);
            c5b = Avx512F.FusedMultiplyAdd(a5, b1, c5b);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c6a = Avx512F.FusedMultiplyAdd(a6, b0, c6a);
            c6b = Avx512F.FusedMultiplyAdd(a6, b1, c6b);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c7a = Avx512F.FusedMultiplyAdd(a7, b0, c7a);
            c7b = Avx512F.FusedMultiplyAdd(a7, b1, c7b);
            a += 12;
            b += bStride;
        }

        if (load)
        {
            c0a += Vector512.Load(c);
            c0b += Vector512.Load(c + 16);
            c1a += Vector512.Load(c + ldc);
            c1b += Vector512.Load(c + ldc + 16);
            c2a += Vector512.Load(c + (2 * ldc));
            c2b += Vector512.Load(c + (2 * ldc) + 16);
            c3a += Vector512.Load(c + (3 * ldc));
            c3b += Vector512.Load(c + (3 * ldc) + 16);
            c4a += Vector512.Load(c + (4 * ldc));
            c4b += Vector512.Load(c + (4 * ldc) + 16);
            c5a += Vector512.Load(c + (5 * ldc));
            c5b += Vector512.Load(c + (5 * ldc) + 16);
            c6a += Vector512.Load(c + (6 * ldc));
            c6b += Vector512.Load(c + (6 * ldc) + 16);
            c7a += Vector512.Load(c + (7 * ldc));
            c7b += Vector512.Load(c + (7 * ldc) + 16);
        }

        Vector512.Store(c0a, c);
        Vector512.Store(c0b, c + 16);
        Vector512.Store(c1a, c + ldc);
        Vector512.Store(c1b, c + ldc + 16);
        Vector512.Store(c2a, c + (2 * ldc));
        Vector512.Store(c2b, c + (2 * ldc) + 16);
        Vector512.Store(c3a, c + (3 * ldc));
        Vector512.Store(c3b, c + (3 * ldc) + 16);
        Vector512.Store(c4a, c + (4 * ldc));
        Vector512.Store(c4b, c + (4 * ldc) + 16);
        Vector512.Store(c5a, c + (5 * ldc));
        Vector512.Store(c5b, c + (5 * ldc) + 16);
        Vector512.Store(c6a, c + (6 * ldc));
        Vector512.Store(c6b, c + (6 * ldc) + 16);
        Vector512.Store(c7a, c + (7 * ldc));
        Vector512.Store(c7b, c + (7 * ldc) + 16);
    }

    /// <summary>
    /// AVX-512 edge kernel: C[4×32] = (load ? C : 0) + Ap[kc×4]ᵀ·Bp[kc×32], the product summed from zero in
    /// 8 zmm accumulators and added to C once at the end (the C tile is prefetched meanwhile).
    /// Reads the first 4 rows of an A panel packed 12 wide; each C element gets the same sums in the same
    /// order as from the 12-row kernel, so results do not depend on which kernel a row went through.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512Rows4(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool load)
    {
        Sse.Prefetch0(c);
        Sse.Prefetch0(c + 31);
        Sse.Prefetch0(c + ldc);
        Sse.Prefetch0(c + ldc + 31);
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (2 * ldc) + 31);
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (3 * ldc) + 31);
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0a = Avx512F.FusedMultiplyAdd(a0, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(a0, b1, c0b);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c1a = Avx512F.FusedMultiplyAdd(a1, b0, c1a);
            c1b = Avx512F.FusedMultiplyAdd(a1, b1, c1b);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c2a = Avx512F.FusedMultiplyAdd(a2, b0, c2a);
            c2b = Avx512F.FusedMultiplyAdd(a2, b1, c2b);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c3a = Avx512F.FusedMultiplyAdd(a3, b0, c3a);
            c3b = Avx512F.FusedMultiplyAdd(a3, b1, c3b);
            a += 12;
            b += bStride;
        }

        if (load)
        {
            c0a += Vector512.Load(c);
            c0b += Vector512.Load(c + 16);
            c1a += Vector512.Load(c + ldc);
            c1b += Vector512.Load(c + ldc + 16);
            c2a += Vector512.Load(c + (2 * ldc));
            c2b += Vector512.Load(c + (2 * ldc) + 16);
            c3a += Vector512.Load(c + (3 * ldc));
            c3b += Vector512.Load(c + (3 * ldc) + 16);
        }

        Vector512.Store(c0a, c);
        Vector512.Store(c0b, c + 16);
        Vector512.Store(c1a, c + ldc);
        Vector512.Store(c1b, c + ldc + 16);
        Vector512.Store(c2a, c + (2 * ldc));
        Vector512.Store(c2b, c + (2 * ldc) + 16);
        Vector512.Store(c3a, c + (3 * ldc));
        Vector512.Store(c3b, c + (3 * ldc) + 16);
    }

    /// <summary>
    /// AVX2/FMA micro-kernel: C[6×16] = (load ? C : 0) + Ap[kc×6]ᵀ·Bp[kc×16], the product summed from zero in
    /// 12 ymm accumulators and added to C once at the end (the C tile is prefetched meanwhile).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* a, float* b, nint bStride, float* c, nint ldc, bool load)
    {
        Sse.Prefetch0(c);
        Sse.Prefetch0(c + 15);
        Sse.Prefetch0(c + ldc);
        Sse.Prefetch0(c + ldc + 15);
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (2 * ldc) + 15);
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (3 * ldc) + 15);
        Sse.Prefetch0(c + (4 * ldc));
        Sse.Prefetch0(c + (4 * ldc) + 15);
        Sse.Prefetch0(c + (5 * ldc));
        Sse.Prefetch0(c + (5 * ldc) + 15);
        Vector256<float> c0a = default, c0b = default;
        Vector256<float> c1a = default, c1b = default;
        Vector256<float> c2a = default, c2b = default;
        Vector256<float> c3a = default, c3b = default;
        Vector256<float> c4a = default, c4b = default;
        Vector256<float> c5a = default, c5b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c0a = Fma.MultiplyAdd(a0, b0, c0a);
            c0b = Fma.MultiplyAdd(a0, b1, c0b);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c1a = Fma.MultiplyAdd(a1, b0, c1a);
            c1b = Fma.MultiplyAdd(a1, b1, c1b);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c2a = Fma.MultiplyAdd(a2, b0, c2a);
            c2b = Fma.MultiplyAdd(a2, b1, c2b);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c3a = Fma.MultiplyAdd(a3, b0, c3a);
            c3b = Fma.MultiplyAdd(a3, b1, c3b);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c4a = Fma.MultiplyAdd(a4, b0, c4a);
            c4b = Fma.MultiplyAdd(a4, b1, c4b);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c5a = Fma.MultiplyAdd(a5, b0, c5a);
            c5b = Fma.MultiplyAdd(a5, b1, c5b);
            a += 6;
            b += bStride;
        }

        if (load)
        {
            c0a += Vector256.Load(c);
            c0b += Vector256.Load(c + 8);
            c1a += Vector256.Load(c + ldc);
            c1b += Vector256.Load(c + ldc + 8);
            c2a += Vector256.Load(c + (2 * ldc));
            c2b += Vector256.Load(c + (2 * ldc) + 8);
            c3a += Vector256.Load(c + (3 * ldc));
            c3b += Vector256.Load(c + (3 * ldc) + 8);
            c4a += Vector256.Load(c + (4 * ldc));
            c4b += Vector256.Load(c + (4 * ldc) + 8);
            c5a += Vector256.Load(c + (5 * ldc));
            c5b += Vector256.Load(c + (5 * ldc) + 8);
        }

        Vector256.Store(c0a, c);
        Vector256.Store(c0b, c + 8);
        Vector256.Store(c1a, c + ldc);
        Vector256.Store(c1b, c + ldc + 8);
        Vector256.Store(c2a, c + (2 * ldc));
        Vector256.Store(c2b, c + (2 * ldc) + 8);
        Vector256.Store(c3a, c + (3 * ldc));
        Vector256.Store(c3b, c + (3 * ldc) + 8);
        Vector256.Store(c4a, c + (4 * ldc));
        Vector256.Store(c4b, c + (4 * ldc) + 8);
        Vector256.Store(c5a, c + (5 * ldc));
        Vector256.Store(c5b, c + (5 * ldc) + 8);
    }
    // </micro-kernels>

    private readonly struct MicroKernel(string name, int mr, int nr, delegate* managed<int, float*, float*, nint, float*, nint, bool, void> fn)
    {
        public string Name { get; } = name;

        public int Mr { get; } = mr;

        public int Nr { get; } = nr;

        public delegate* managed<int, float*, float*, nint, float*, nint, bool, void> Fn { get; } = fn;

        /// <summary>An edge kernel for the first 4 rows of a panel, or null.</summary>
        public delegate* managed<int, float*, float*, nint, float*, nint, bool, void> Rows4 { get; init; }

        /// <summary>An edge kernel for the first 8 rows of a panel, or null.</summary>
        public delegate* managed<int, float*, float*, nint, float*, nint, bool, void> Rows8 { get; init; }

        /// <summary>
        /// The narrowest kernel covering <paramref name="rows"/> rows of a panel, and how many rows it computes: an
        /// edge kernel when one fits, else the full one.
        /// </summary>
        public delegate* managed<int, float*, float*, nint, float*, nint, bool, void> For(int rows, out int computed)
        {
            if (rows <= 4 && Rows4 != null)
            {
                computed = 4;
                return Rows4;
            }

            if (rows <= 8 && Rows8 != null)
            {
                computed = 8;
                return Rows8;
            }

            computed = Mr;
            return Fn;
        }
    }

    /// <summary>Per-thread pinned, 64-byte aligned pack buffers, grown on demand and reused by every later call.</summary>
    private sealed class PackBuffers
    {
        private float[]? _a;
        private float[]? _b;

        public float* A(int length) => Get(ref _a, length);

        public float* B(int length) => Get(ref _b, length);

        private static float* Get(ref float[]? array, int length)
        {
            if (array is null || array.Length < length + 16)
            {
                array = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
            }

            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            return (float*)((p + 63) & ~(nint)63);
        }
    }

    /// <summary>One product split over M or N into contiguous, micro-tile aligned ranges, one per part.</summary>
    private sealed class GemmWork : IParallelWork
    {
        private MicroKernel _uk;
        private float* _a;
        private float* _b;
        private float* _c;
        private nint _rsc, _csc;
        private int _lda, _ldb, _m, _n, _k, _unit, _tiles, _parts;
        private bool _transA, _transB, _accumulate, _directB, _splitN;

        public void Set(MicroKernel uk, float* a, int lda, bool transA, float* b, int ldb, bool transB,
                        float* c, nint rsc, nint csc, int m, int n, int k, bool accumulate, bool directB,
                        bool splitN, int unit, int tiles, int parts)
        {
            _uk = uk;
            _a = a;
            _lda = lda;
            _transA = transA;
            _b = b;
            _ldb = ldb;
            _transB = transB;
            _c = c;
            _rsc = rsc;
            _csc = csc;
            _m = m;
            _n = n;
            _k = k;
            _accumulate = accumulate;
            _directB = directB;
            _splitN = splitN;
            _unit = unit;
            _tiles = tiles;
            _parts = parts;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
        }

        public void Execute(int index)
        {
            int t0 = (int)((long)_tiles * index / _parts);
            int t1 = (int)((long)_tiles * (index + 1) / _parts);
            int total = _splitN ? _n : _m;
            int start = t0 * _unit;
            int count = Math.Min(total, t1 * _unit) - start;
            if (count <= 0)
            {
                return;
            }

            if (_splitN)
            {
                float* b = _transB ? _b + ((long)start * _ldb) : _b + start;
                Blocked(_uk, _a, _lda, _transA, b, _ldb, _transB, _c + (start * _csc), _rsc, _csc, _m, count, _k, _accumulate, _directB);
            }
            else
            {
                float* a = _transA ? _a + start : _a + ((long)start * _lda);
                Blocked(_uk, a, _lda, _transA, _b, _ldb, _transB, _c + (start * _rsc), _rsc, _csc, count, _n, _k, _accumulate, _directB);
            }
        }
    }

    /// <summary>A batch of independent products split into contiguous ranges of whole products.</summary>
    private sealed class BatchWork : IParallelWork
    {
        private float* _a;
        private float* _b;
        private float* _c;
        private int _lda, _ldb, _ldc, _strideA, _strideB, _strideC, _m, _n, _k, _batch, _parts;
        private bool _transA, _transB, _accumulate;

        public void Set(float* a, int lda, bool transA, int strideA, float* b, int ldb, bool transB, int strideB,
                        float* c, int ldc, int strideC, int m, int n, int k, bool accumulate, int batch, int parts)
        {
            _a = a;
            _lda = lda;
            _transA = transA;
            _strideA = strideA;
            _b = b;
            _ldb = ldb;
            _transB = transB;
            _strideB = strideB;
            _c = c;
            _ldc = ldc;
            _strideC = strideC;
            _m = m;
            _n = n;
            _k = k;
            _accumulate = accumulate;
            _batch = batch;
            _parts = parts;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
        }

        public void Execute(int index)
        {
            int t0 = (int)((long)_batch * index / _parts);
            int t1 = (int)((long)_batch * (index + 1) / _parts);
            for (int t = t0; t < t1; t++)
            {
                Core(_a + ((long)t * _strideA), _lda, _transA, _b + ((long)t * _strideB), _ldb, _transB,
                     _c + ((long)t * _strideC), _ldc, _m, _n, _k, _accumulate);
            }
        }
    }
}
