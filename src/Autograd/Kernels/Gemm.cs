using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
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
/// c = c + s (or c = s for the first block when not accumulating); the kernels without FMA (128-bit
/// "v128", scalar) multiply and add separately. That sequence depends only on k and KC, never on which tile, block, part or
/// thread computes the element, so results are bit-identical for any
/// <see cref="Autograd.Parallelism.NumThreads"/>. Which path runs (tiny loop, transposed product,
/// in-place B) is decided from m, n, k and the layout alone.
/// </para>
/// </remarks>
internal static unsafe partial class Gemm
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

    private static readonly MicroKernel s_kernel = SupportedKernels()[0];

    [ThreadStatic]
    private static PackBuffers? s_buffers;

    /// <summary>Gets the micro-kernel this process dispatches to, as "isa MR×NR", for diagnostics and tests.</summary>
    internal static string KernelName => s_kernel.ToString();

    /// <summary>Gets the names of every micro-kernel this CPU can run, the dispatched one first (for tests).</summary>
    internal static string[] KernelNames => [.. SupportedKernels().Select(x => x.ToString())];

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
        Run(s_kernel, a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, batch, strideA, strideB, strideC);
    }

    /// <summary>
    /// <see cref="MultiplyBatched"/> through the named micro-kernel (one of <see cref="KernelNames"/>) instead of the
    /// dispatched one, so tests cover every kernel the CPU supports in one process.
    /// </summary>
    /// <param name="kernel">A name from <see cref="KernelNames"/>.</param>
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
    /// <exception cref="ArgumentException">The kernel is not supported here, or as for <see cref="MultiplyBatched"/>.</exception>
    internal static void MultiplyBatchedWith(string kernel, ReadOnlySpan<float> a, int lda, bool transA,
                                             ReadOnlySpan<float> b, int ldb, bool transB,
                                             Span<float> c, int ldc, int m, int n, int k, bool accumulate,
                                             int batch, int strideA, int strideB, int strideC)
    {
        MicroKernel uk = Array.Find(SupportedKernels(), x => x.ToString() == kernel);
        if (uk.Fn == null)
        {
            throw new ArgumentException($"Micro-kernel '{kernel}' is not supported on this CPU.", nameof(kernel));
        }

        Run(uk, a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, batch, strideA, strideB, strideC);
    }

    private static void Run(MicroKernel uk, ReadOnlySpan<float> a, int lda, bool transA,
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
                work.Set(uk, pa, lda, transA, strideA, pb, ldb, transB, strideB, pc, ldc, strideC, m, n, k, accumulate, batch, parts);
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
                Core(uk, pa + ((long)t * strideA), lda, transA, pb + ((long)t * strideB), ldb, transB,
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

    private static void Core(MicroKernel uk, float* a, int lda, bool transA, float* b, int ldb, bool transB,
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

    /// <summary>
    /// Every micro-kernel this CPU runs, fastest first: AVX-512 where <see cref="Vector512.IsHardwareAccelerated"/> and
    /// Avx512F; AVX2 with FMA3; 128-bit with FMA3 (x64 with FMA but no 256-bit vectors); ARM64 AdvSimd (fused FMLA,
    /// 12×8 on its 32 q registers); 128-bit with a separate multiply and add wherever
    /// <see cref="Vector128.IsHardwareAccelerated"/> (x64 SSE: .NET 10 reports <see cref="Fma.IsSupported"/> false
    /// under <c>DOTNET_EnableAVX2=0</c>, and <c>Vector128.FusedMultiplyAdd</c> would then be emulated in software);
    /// scalar last, only for a runtime without any hardware vectors. The 128-bit tiles fill the register file: 6×8 is
    /// 12 accumulators + 2 B + 1 broadcast (+ 1 product without FMA) of x64's 16 xmm, 12×8 is 24 + 2 + 1 of ARM64's 32.
    /// With only Vector128 (DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0, 1 thread, 2026-12-02, host load ~20) "v128"
    /// replaced the scalar kernel at 256³ 0.7 → 7.7–15.6 GFLOP/s and 512³ 0.8 → 5.2–7.0 (AVX-512: 85–121 and 81–84);
    /// benchmarks/GEMM.md, "Vector128 kernels".
    /// </summary>
    private static MicroKernel[] SupportedKernels()
    {
        var list = new List<MicroKernel>(6);
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            // A 64-row operand (the mlp batch) is five 12-row panels and 4 rows: through the 12-row kernel that
            // edge cost as much as a full panel (64×784·784×256 took as long as 72×784·784×256).
            list.Add(new MicroKernel("avx512", 12, 32, &Kernel512) { Rows4 = &Kernel512Rows4, Rows8 = &Kernel512Rows8 });
        }

        if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            list.Add(new MicroKernel("avx2", 6, 16, &Kernel256));
        }

        if (Fma.IsSupported && Vector128.IsHardwareAccelerated)
        {
            list.Add(new MicroKernel("fma128", 6, 8, &Kernel128Fma));
        }

        if (AdvSimd.IsSupported)
        {
            list.Add(new MicroKernel("neon", 12, 8, &Kernel128Neon));
        }

        if (Vector128.IsHardwareAccelerated)
        {
            list.Add(new MicroKernel("v128", 6, 8, &Kernel128));
        }

        list.Add(new MicroKernel("scalar", ScalarMr, ScalarNr, &KernelScalar));
        return [.. list];
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

        public override string ToString() => $"{Name} {Mr}×{Nr}";
    }

}
