using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Autograd.Kernels;

/// <summary>
/// Double-precision general matrix multiply, C = (accumulate ? C : 0) + op(A)·op(B), row-major: the float64
/// counterpart of <see cref="Gemm"/>, with the same contract, validation and exceptions.
/// </summary>
/// <remarks>
/// The same BLIS/Goto structure as <see cref="Gemm"/>: op(B) is packed KC×NC at a time into NR-column micro-panels,
/// op(A) MC×KC into MR-row micro-panels, and a register-blocked micro-kernel keeps an MR×NR tile of C in vector
/// registers while streaming the two micro-panels. A vector holds half as many doubles as floats, so every kernel
/// is the float kernel's shape with NR halved (AVX-512 12×16, AVX2 6×8, 128-bit 6×4 with or without FMA); the peak in flops is
/// half the float one. Transposed operands are read in place by the packing routines; a narrow C (n &lt; NR) is
/// computed as Cᵀ = op(B)ᵀ·op(A)ᵀ.
/// <para>
/// Determinism: for every KC-deep block of k, in order, an element of C receives
/// s = fma(a[i,p₁], b[p₁,j], … fma(a[i,p₀], b[p₀,j], 0)) summed over the block in k order, then c = c + s (or c = s
/// for the first block when not accumulating); the scalar fallback multiplies and adds separately. That sequence
/// depends only on k, KC and the kernel, never on which tile, block, part or thread computes the element, so results
/// are bit-identical for any <see cref="Parallelism.NumThreads"/>.
/// </para>
/// <para>
/// Shared later with <see cref="Gemm"/> (kept apart for now so Gemm.cs is untouched): the validation, the loop nest,
/// the pack buffers, <c>PartialTile</c>, <c>PackRows</c> and both parallel work items are the float code with the
/// element type changed and could become generic over <c>T : unmanaged</c> with the micro-kernel table and the
/// transposes as the only per-type parts.
/// </para>
/// </remarks>
internal static unsafe partial class Gemm64
{
    /// <summary>
    /// Depth of a packed block. KC·NR·8 = 32 KiB keeps the B micro-panel in the 48 KiB L1 while every A micro-panel
    /// of the block sweeps past it. KC = 512 with MC = 48 and NC = 1024 (the float GEMM's KC, same byte footprints)
    /// measured level: two alternating processes each, best of 5 rounds, 1 thread, n = 256/512/1024 NN/TN/NT all
    /// within ±5% of each other (52.7–55.1 vs 53.1–54.6 GFLOP/s at n = 256, 48.8–54.2 vs 47.6–52.3 at n ≥ 512) on a
    /// host under a load of ~10 (benchmarks/GEMM.md, "float64 GEMM"); this one keeps B in L1.
    /// </summary>
    private const int Kc = 256;

    /// <summary>How many source rows ahead <see cref="PackRows"/> prefetches short rows.</summary>
    private const int PackPrefetchRowsAhead = 8;

    /// <summary>
    /// Rows up to this many doubles (512 bytes, eight cache lines) count as short for <see cref="PackRows"/>: the
    /// byte length below which Gemm.cs measured that the hardware prefetcher does not train on page-strided rows.
    /// </summary>
    private const int PackPrefetchMaximumRow = 64;

    /// <summary>
    /// Target rows of a packed A block (a multiple of MR = 12 and 6): MC·KC·8 = 192 KiB, L2-resident (1 MiB per core),
    /// the float GEMM's A-block footprint, where Gemm.cs measured 72–120 rows (at 4 bytes) alike. Measured with
    /// <see cref="Kc"/> above.
    /// </summary>
    private const int Mc = 96;

    /// <summary>
    /// Columns of a packed B block: KC·NC·8 = 4 MiB, L3-resident (32 MiB), the float GEMM's B-block footprint, for
    /// which Gemm.cs measured smaller, L2-sized blocks 2–8% slower because A is repacked for every NC block.
    /// </summary>
    private const int Nc = 2048;

    /// <summary>
    /// Products of at most this many multiply-adds use a plain loop. Measured crossover (1 thread, best of 5 rounds,
    /// two processes each way): 4³ plain 0.12 µs vs packed 0.21–0.26 µs, 6³ 0.22–0.29 vs 0.27–0.36 µs, 8³ 0.51–0.73 vs
    /// 0.21–0.38 µs, 12³ 1.6–2.2 vs 0.39–0.45 µs. The float GEMM's cut (512, above 8³) would be 2× slow at 8³ here.
    /// </summary>
    private const long TinyMacs = 256;

    /// <summary>
    /// Products of at least this many multiply-adds are split across two or more threads: half of
    /// <see cref="Gemm"/>'s 2¹⁹, as a double multiply-add costs twice a float one. Measured (1 thread vs 2 threads
    /// always splitting, best of 5 rounds, two processes each, host load ~9): 48³ 45.6/41.4 vs 41.1/46.7 GFLOP/s,
    /// 56³ 40.3/34.6 vs 36.6/52.9, 64³ (2¹⁸) 47.5/41.5 vs 43.8/67.8, 80³ 51.2/45.9 vs 84.3/80.5, 96³ 52.4/47.2 vs
    /// 93.1/75.8: break-even around 64³, a clear gain from 80³.
    /// </summary>
    private const long ParallelMacs = 1L << 18;

    /// <summary>Doubles in the stack buffer that edge and transposed C tiles go through (≥ MR·NR of every kernel).</summary>
    private const int MaxTile = 256;

    /// <summary>Cap on the parts one product is split into (the pool addresses parts with 16 bits).</summary>
    private const int MaxThreads = 1024;

    private const int ScalarMr = 4;
    private const int ScalarNr = 8;

    private static readonly MicroKernel s_kernel = SupportedKernels()[0];

    [ThreadStatic]
    private static PackBuffers? s_buffers;

    [ThreadStatic]
    private static GemmWork? s_work;

    [ThreadStatic]
    private static BatchWork? s_batchWork;

    /// <summary>Gets the micro-kernel this process dispatches to, as "isa MR×NR", for diagnostics and tests.</summary>
    internal static string KernelName => s_kernel.ToString();

    /// <summary>Gets the names of every micro-kernel this CPU can run, the dispatched one first (for tests).</summary>
    internal static string[] KernelNames => [.. SupportedKernels().Select(x => x.ToString())];

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
    internal static void Multiply(ReadOnlySpan<double> a, int lda, bool transA,
                                  ReadOnlySpan<double> b, int ldb, bool transB,
                                  Span<double> c, int ldc, int m, int n, int k, bool accumulate)
    {
        Run(s_kernel, a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, 1, 0, 0, 0);
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
    internal static void MultiplyBatched(ReadOnlySpan<double> a, int lda, bool transA,
                                         ReadOnlySpan<double> b, int ldb, bool transB,
                                         Span<double> c, int ldc, int m, int n, int k, bool accumulate,
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
    internal static void MultiplyBatchedWith(string kernel, ReadOnlySpan<double> a, int lda, bool transA,
                                             ReadOnlySpan<double> b, int ldb, bool transB,
                                             Span<double> c, int ldc, int m, int n, int k, bool accumulate,
                                             int batch, int strideA, int strideB, int strideC)
    {
        MicroKernel uk = Array.Find(SupportedKernels(), x => x.ToString() == kernel);
        if (uk.Fn == null)
        {
            throw new ArgumentException($"Micro-kernel '{kernel}' is not supported on this CPU.", nameof(kernel));
        }

        Run(uk, a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, batch, strideA, strideB, strideC);
    }

    private static void Run(MicroKernel uk, ReadOnlySpan<double> a, int lda, bool transA,
                            ReadOnlySpan<double> b, int ldb, bool transB,
                            Span<double> c, int ldc, int m, int n, int k, bool accumulate,
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

        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            // Many small products (attention heads, per-sample matrices) are spread over threads a whole product at
            // a time when each is too small to split but together they are not and their outputs are disjoint; a
            // product is then computed exactly as on one thread.
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

    private static void Core(MicroKernel uk, double* a, int lda, bool transA, double* b, int ldb, bool transB,
                             double* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<double>(c + ((long)i * ldc), n).Clear();
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

        // Narrow C (n < NR): compute Cᵀ = op(B)ᵀ·op(A)ᵀ instead, so the vector lanes run along m rather than over
        // zero padding of n; C is then written through the tile buffer with swapped strides. The same reasoning
        // and layout as Gemm.cs (measured there 64×10×256: 10.4 → 4.4 µs).
        nint rsc = ldc, csc = 1;
        if (n < uk.Nr && m > n)
        {
            double* t = a;
            a = b;
            b = t;
            (lda, transA, ldb, transB) = (ldb, !transB, lda, !transA);
            (m, n) = (n, m);
            (rsc, csc) = (csc, rsc);
        }

        // B is always packed. Reading a non-transposed B in place for small m (Gemm.cs's DirectBMaxM = 128) measured
        // 10% faster at 64×256×784 but 2× slower at 32×1024×1024 and 1.6× at 64×1024×1024 in double (ldb = 8 KiB,
        // probably every row of a micro-panel in the same L1 set), so it was not kept (benchmarks/GEMM.md).
        int threads = macs >= ParallelMacs ? Math.Min(Parallelism.NumThreads, MaxThreads) : 1;
        if (threads > 1)
        {
            // Split M or N into whole micro-tiles (never K). Each part packs its own slice of the split operand and
            // all of the other one, so split the dimension whose duplicated packing is cheaper: a transposing pack
            // (Interleave) costs more per element than a row copy (PackRows).
            double dupA = (double)m * k * (transA ? 1 : 2);
            double dupB = (double)n * k * (transB ? 2 : 1);
            bool splitN = n / uk.Nr >= threads && (m / uk.Mr < threads || dupA <= dupB);
            int unit = splitN ? uk.Nr : uk.Mr;
            int tiles = ((splitN ? n : m) + unit - 1) / unit;
            int parts = Math.Min(threads, tiles);
            if (parts > 1)
            {
                GemmWork work = s_work ??= new GemmWork();
                work.Set(uk, a, lda, transA, b, ldb, transB, c, rsc, csc, m, n, k, accumulate, splitN, unit, tiles, parts);
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

        Blocked(uk, a, lda, transA, b, ldb, transB, c, rsc, csc, m, n, k, accumulate);
    }

    /// <summary>The tiny-product loop: one plain dot product per element, summed in k order onto C or zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Naive(double* a, int lda, bool transA, double* b, int ldb, bool transB,
                              double* c, int ldc, int m, int n, int k, bool accumulate)
    {
        nint sai = transA ? 1 : lda, sap = transA ? lda : 1;
        nint sbp = transB ? 1 : ldb, sbj = transB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            double* ai = a + (i * sai);
            double* ci = c + ((nint)i * ldc);
            for (int j = 0; j < n; j++)
            {
                double* bj = b + (j * sbj);
                double s = accumulate ? ci[j] : 0d;
                for (int p = 0; p < k; p++)
                {
                    s += ai[p * sap] * bj[p * sbp];
                }

                ci[j] = s;
            }
        }
    }

    /// <summary>The Goto loop nest jc (NC) → pc (KC) → pack B → ic (MC) → pack A → jr (NR) → ir (MR) → micro-kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked(MicroKernel uk, double* a, int lda, bool transA, double* b, int ldb, bool transB,
                                double* c, nint rsc, nint csc, int m, int n, int k, bool accumulate)
    {
        int mr = uk.Mr, nr = uk.Nr;
        int mcMax = Math.Max(mr, Mc / mr * mr);
        int ncMax = Math.Min(Nc, (n + nr - 1) / nr * nr);
        PackBuffers buffers = s_buffers ??= new PackBuffers();
        double* ap = buffers.A(mcMax * Kc);
        double* bp = buffers.B(ncMax * Kc);
        double* tile = stackalloc double[MaxTile];
        delegate* managed<int, double*, double*, nint, double*, nint, bool, void> fn = uk.Fn;

        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kc = Math.Min(Kc, k - pc);
                bool load = accumulate || pc > 0;
                PackB(b, ldb, transB, pc, jc, kc, nc, nr, bp);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    PackA(a, lda, transA, ic, pc, mc, kc, mr, ap);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrCur = Math.Min(nr, nc - jr);
                        double* bPanel = bp + ((long)jr * kc);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrCur = Math.Min(mr, mc - ir);
                            double* aPanel = ap + ((long)ir * kc);
                            double* cTile = c + ((ic + ir) * rsc) + ((jc + jr) * csc);
                            if (mrCur == mr && nrCur == nr && csc == 1)
                            {
                                fn(kc, aPanel, bPanel, nr, cTile, rsc, load);
                                continue;
                            }

                            var edge = uk.For(mrCur, out int rows);
                            if (rows == mrCur && nrCur == nr && csc == 1)
                            {
                                edge(kc, aPanel, bPanel, nr, cTile, rsc, load);
                            }
                            else
                            {
                                PartialTile(edge, kc, aPanel, bPanel, nr, cTile, rsc, csc, load, mr, nr, mrCur, nrCur, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Runs the kernel on an edge or transposed C tile through a dense mr×nr buffer (C element (r, j) at r·rsc + j·csc).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void PartialTile(delegate* managed<int, double*, double*, nint, double*, nint, bool, void> fn,
                                    int kc, double* aPanel, double* bPanel, nint bStride, double* cTile, nint rsc, nint csc, bool load,
                                    int mr, int nr, int mrCur, int nrCur, double* tile)
    {
        if (load)
        {
            for (int r = 0; r < mrCur; r++)
            {
                double* src = cTile + (r * rsc);
                double* dst = tile + (r * nr);
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
            double* src = tile + (r * nr);
            double* dst = cTile + (r * rsc);
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
    private static void PackA(double* a, int lda, bool transA, int ic, int pc, int mc, int kc, int mr, double* dst)
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
    private static void PackB(double* b, int ldb, bool transB, int pc, int jc, int kc, int nc, int nr, double* dst)
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
    /// Non-transposing pack: source row p (length <paramref name="total"/>) is cut into width-wide pieces, piece q
    /// going to panel q at dst[q·width·kc + p·width], the last one zero-padded. Walking whole source rows uses every
    /// fetched cache line at once (Gemm.cs measured panel-by-panel twice as slow).
    /// </summary>
    /// <remarks>
    /// Short rows (op(A) = Aᵀ with a narrow block) give the hardware prefetcher too few lines per page to train on,
    /// so the rows <see cref="PackPrefetchRowsAhead"/> ahead are prefetched here, as in Gemm.cs.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRows(double* src, nint ld, int total, int kc, double* dst, int width)
    {
        int full = total / width * width;
        bool prefetch = Sse.IsSupported && total <= PackPrefetchMaximumRow;
        for (int p = 0; p < kc; p++)
        {
            double* s = src + (p * ld);
            double* d = dst + (p * width);
            if (prefetch && p + PackPrefetchRowsAhead < kc)
            {
                double* ahead = s + (PackPrefetchRowsAhead * ld);
                for (int x = 0; x < total; x += 8)
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
    /// Transposing pack: dst[p·width + r] = src[r·ld + p] for r &lt; rows, p &lt; kc, and 0 for rows ≤ r &lt; width.
    /// Groups of 4 source rows go through in-register 4×4 transposes (AVX), pairs through 2×2 ones (SSE2 or AdvSimd);
    /// the rest element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(double* src, nint ld, int rows, int kc, double* dst, int width)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                double* s = src + (r * ld);
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

        if (Sse2.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            for (; r + 2 <= rows; r += 2)
            {
                double* s = src + (r * ld);
                int p = 0;
                for (; p + 2 <= kc; p += 2)
                {
                    Transpose2x2(s + p, ld, dst + (p * width) + r, width);
                }

                for (; p < kc; p++)
                {
                    dst[(p * width) + r] = s[p];
                    dst[(p * width) + r + 1] = s[ld + p];
                }
            }
        }

        if (r < width)
        {
            for (int p = 0; p < kc; p++)
            {
                double* d = dst + (p * width);
                for (int i = r; i < rows; i++)
                {
                    d[i] = src[(i * ld) + p];
                }

                for (int i = Math.Max(r, rows); i < width; i++)
                {
                    d[i] = 0d;
                }
            }
        }
    }

    /// <summary>
    /// d[j·dw + i] = s[i·ld + j] for a 4×4 block: unpacking row pairs gives (r0[j], r1[j]) for j = 0, 2 and 1, 3 in
    /// each 128-bit half, and the lane permutes join the halves of rows 0–1 and 2–3 into whole columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, nint ld, double* d, nint dw)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld);
        Vector256<double> r2 = Avx.LoadVector256(s + (2 * ld)), r3 = Avx.LoadVector256(s + (3 * ld));
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + dw, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + (2 * dw), Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + (3 * dw), Avx.Permute2x128(t1, t3, 0x31));
    }

    /// <summary>d[j·dw + i] = s[i·ld + j] for a 2×2 block: the low and high halves of the two rows, interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose2x2(double* s, nint ld, double* d, nint dw)
    {
        Vector128<double> r0 = Vector128.Load(s), r1 = Vector128.Load(s + ld);
        if (Sse2.IsSupported)
        {
            Vector128.Store(Sse2.UnpackLow(r0, r1), d);
            Vector128.Store(Sse2.UnpackHigh(r0, r1), d + dw);
        }
        else
        {
            Vector128.Store(AdvSimd.Arm64.ZipLow(r0, r1), d);
            Vector128.Store(AdvSimd.Arm64.ZipHigh(r0, r1), d + dw);
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> doubles and zero-fills up to <paramref name="width"/>, never touching src
    /// beyond count. Tails use narrower vectors rather than AVX-512 masked loads, which Gemm.cs measured to hit a
    /// ~100-cycle assist when the disabled lanes cross into the next line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(double* src, double* dst, int count, int width)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector512.Store(Vector512.Load(src + i), dst + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 2; i += 2)
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
            dst[i] = 0d;
        }
    }

    /// <summary>
    /// Every micro-kernel this CPU runs, fastest first: AVX-512 where <see cref="Vector512.IsHardwareAccelerated"/> and
    /// Avx512F; 256-bit with FMA3; 128-bit with FMA3 (x64) or AdvSimd.Arm64 (fused FMLA); 128-bit with a separate
    /// multiply and add wherever <see cref="Vector128.IsHardwareAccelerated"/> (x64 without FMA: .NET 10 reports
    /// <see cref="Fma.IsSupported"/> false under <c>DOTNET_EnableAVX2=0</c>); scalar last. No kernel relies on a
    /// software-emulated fused multiply-add. With only Vector128 (DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0, 1 thread,
    /// 2026-12-02, host load ~20) "v128" replaced the scalar kernel at 256³ 0.7 → 3.3–4.1 GFLOP/s and 512³ 0.7 → 3.5–4.0
    /// (AVX-512: 40–56 and 18–39); benchmarks/GEMM.md, "Vector128 kernels".
    /// </summary>
    private static MicroKernel[] SupportedKernels()
    {
        var list = new List<MicroKernel>(4);
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            // Edge kernels for 4 and 8 remaining rows, as in Gemm.cs, where computing them with the 12-row kernel on
            // zero padding made a 64-row product as slow as a 72-row one.
            list.Add(new MicroKernel("avx512", 12, 16, &Kernel512) { Rows4 = &Kernel512Rows4, Rows8 = &Kernel512Rows8 });
        }

        if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            list.Add(new MicroKernel("avx2", 6, 8, &Kernel256));
        }

        if (Fma.IsSupported && Vector128.IsHardwareAccelerated)
        {
            list.Add(new MicroKernel("fma128", 6, 4, &Kernel128Fma));
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            list.Add(new MicroKernel("neon", 6, 4, &Kernel128Neon));
        }

        if (Vector128.IsHardwareAccelerated)
        {
            list.Add(new MicroKernel("v128", 6, 4, &Kernel128));
        }

        list.Add(new MicroKernel("scalar", ScalarMr, ScalarNr, &KernelScalar));
        return [.. list];
    }

    /// <summary>Portable micro-kernel for CPUs without vector FMA: same packed layout, separate multiply and add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelScalar(int kc, double* a, double* b, nint bStride, double* c, nint ldc, bool load)
    {
        double* acc = stackalloc double[ScalarMr * ScalarNr];
        for (int r = 0; r < ScalarMr; r++)
        {
            for (int j = 0; j < ScalarNr; j++)
            {
                acc[(r * ScalarNr) + j] = 0d;
            }
        }

        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < ScalarMr; r++)
            {
                double ar = a[r];
                double* row = acc + (r * ScalarNr);
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
                double s = acc[(r * ScalarNr) + j];
                c[(r * ldc) + j] = load ? c[(r * ldc) + j] + s : s;
            }
        }
    }

    private readonly struct MicroKernel(string name, int mr, int nr, delegate* managed<int, double*, double*, nint, double*, nint, bool, void> fn)
    {
        public string Name { get; } = name;

        public int Mr { get; } = mr;

        public int Nr { get; } = nr;

        public delegate* managed<int, double*, double*, nint, double*, nint, bool, void> Fn { get; } = fn;

        /// <summary>An edge kernel for the first 4 rows of a panel, or null.</summary>
        public delegate* managed<int, double*, double*, nint, double*, nint, bool, void> Rows4 { get; init; }

        /// <summary>An edge kernel for the first 8 rows of a panel, or null.</summary>
        public delegate* managed<int, double*, double*, nint, double*, nint, bool, void> Rows8 { get; init; }

        /// <summary>
        /// The narrowest kernel covering <paramref name="rows"/> rows of a panel, and how many rows it computes: an
        /// edge kernel when one fits, else the full one.
        /// </summary>
        public delegate* managed<int, double*, double*, nint, double*, nint, bool, void> For(int rows, out int computed)
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

    /// <summary>Per-thread pinned, 64-byte aligned pack buffers, grown on demand and reused by every later call.</summary>
    private sealed class PackBuffers
    {
        private double[]? _a;
        private double[]? _b;

        public double* A(int length) => Get(ref _a, length);

        public double* B(int length) => Get(ref _b, length);

        private static double* Get(ref double[]? array, int length)
        {
            if (array is null || array.Length < length + 8)
            {
                array = GC.AllocateUninitializedArray<double>(length + 8, pinned: true);
            }

            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            return (double*)((p + 63) & ~(nint)63);
        }
    }

    /// <summary>One product split over M or N into contiguous, micro-tile aligned ranges, one per part.</summary>
    private sealed class GemmWork : IParallelWork
    {
        private MicroKernel _uk;
        private double* _a;
        private double* _b;
        private double* _c;
        private nint _rsc, _csc;
        private int _lda, _ldb, _m, _n, _k, _unit, _tiles, _parts;
        private bool _transA, _transB, _accumulate, _splitN;

        public void Set(MicroKernel uk, double* a, int lda, bool transA, double* b, int ldb, bool transB,
                        double* c, nint rsc, nint csc, int m, int n, int k, bool accumulate,
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
                double* b = _transB ? _b + ((long)start * _ldb) : _b + start;
                Blocked(_uk, _a, _lda, _transA, b, _ldb, _transB, _c + (start * _csc), _rsc, _csc, _m, count, _k, _accumulate);
            }
            else
            {
                double* a = _transA ? _a + start : _a + ((long)start * _lda);
                Blocked(_uk, a, _lda, _transA, _b, _ldb, _transB, _c + (start * _rsc), _rsc, _csc, count, _n, _k, _accumulate);
            }
        }
    }

    /// <summary>A batch of independent products split into contiguous ranges of whole products.</summary>
    private sealed class BatchWork : IParallelWork
    {
        private MicroKernel _uk;
        private double* _a;
        private double* _b;
        private double* _c;
        private int _lda, _ldb, _ldc, _strideA, _strideB, _strideC, _m, _n, _k, _batch, _parts;
        private bool _transA, _transB, _accumulate;

        public void Set(MicroKernel uk, double* a, int lda, bool transA, int strideA, double* b, int ldb, bool transB, int strideB,
                        double* c, int ldc, int strideC, int m, int n, int k, bool accumulate, int batch, int parts)
        {
            _uk = uk;
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
                Core(_uk, _a + ((long)t * _strideA), _lda, _transA, _b + ((long)t * _strideB), _ldb, _transB,
                     _c + ((long)t * _strideC), _ldc, _m, _n, _k, _accumulate);
            }
        }
    }
}
