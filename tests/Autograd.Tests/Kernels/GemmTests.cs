using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="Gemm"/> against a double-precision reference. The kernel in use depends on the CPU
/// (AVX-512, AVX2/FMA, 128-bit FMA3, NEON, 128-bit multiply + add, scalar); CI also runs this class with
/// DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0 so the fallback micro-kernels get the same coverage, and the
/// tests named "Every_kernel" run each shape through every kernel this CPU supports (<see cref="Gemm.KernelNames"/>).
/// </summary>
[Collection(nameof(NumThreadsTests))]
public sealed class GemmTests(ITestOutputHelper output)
{
    /// <summary>Sizes around every micro-tile edge of all three kernels (MR = 12/6/4, NR = 32/16/8).</summary>
    private static readonly int[] s_edgeM = [1, 3, 4, 5, 6, 7, 11, 12, 13, 23, 24, 25, 43];
    private static readonly int[] s_edgeN = [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65];

    [Fact]
    public void Reports_the_dispatched_kernel()
    {
        output.WriteLine($"GEMM micro-kernel: {Gemm.KernelName}; supported: {string.Join(", ", Gemm.KernelNames)}");
        Gemm.KernelName.Should().MatchRegex("^(avx512|avx2|fma128|neon|v128|scalar) ");
        Gemm.KernelNames[0].Should().Be(Gemm.KernelName);
        Gemm.KernelNames[^1].Should().StartWith("scalar");
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
        {
            // No scalar matrix product where 128-bit vectors are accelerated (ARM64 NEON, x64 without AVX2).
            Gemm.KernelName.Should().NotStartWith("scalar");
        }

        // .NET 10 ignores the old per-ISA knob DOTNET_EnableAVX512F; a CI leg meant to cover the AVX2
        // fallback must set DOTNET_EnableAVX512=0, or it silently re-tests the AVX-512 kernel.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0")
        {
            Gemm.KernelName.Should().NotStartWith("avx512", "DOTNET_EnableAVX512F=0 no longer disables AVX-512 on .NET 10; set DOTNET_EnableAVX512=0");
        }
    }

    public static TheoryData<bool, bool, bool> Modes()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (bool acc in new[] { false, true })
                {
                    data.Add(ta, tb, acc);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_m_and_n_up_to_40_matches_reference(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(17);
        for (int m = 0; m <= 40; m++)
        {
            for (int n = 0; n <= 40; n++)
            {
                int k = ((m * 7) + (n * 13)) % 41;
                Check(rng, m, n, k, transA, transB, accumulate);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_k_up_to_40_and_tile_edges_match_reference(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(23);
        for (int k = 0; k <= 40; k++)
        {
            foreach (int m in s_edgeM)
            {
                int n = s_edgeN[(k + m) % s_edgeN.Length];
                Check(rng, m, n, k, transA, transB, accumulate);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Block_edges_match_reference(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(29);
        // KC = 512, MC = 96, NC = 2048, B read in place up to m = 128: one below, at and above each edge.
        int[][] shapes =
        [
            [13, 33, 511], [12, 32, 512], [25, 17, 513], [5, 65, 1025],
            [95, 40, 33], [96, 33, 20], [97, 31, 600], [193, 9, 17],
            [127, 70, 40], [128, 64, 600], [129, 95, 31],
            [3, 2049, 20], [13, 2052, 3], [2, 4097, 5], [257, 257, 513], [300, 517, 129],
        ];
        foreach (int[] s in shapes)
        {
            Check(rng, s[0], s[1], s[2], transA, transB, accumulate);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Leading_dimensions_larger_than_rows_are_respected(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(31);
        int[][] shapes = [[1, 1, 1], [5, 3, 1], [13, 31, 9], [29, 33, 40], [45, 70, 300]];
        foreach (int[] s in shapes)
        {
            Check(rng, s[0], s[1], s[2], transA, transB, accumulate, padA: 3, padB: 5, padC: 7);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_kernel_matches_reference_on_its_edge_tiles(bool transA, bool transB, bool accumulate)
    {
        // m, n around MR = 12/6/4 and NR = 32/16/8 (edge tiles through the stack tile, the 4- and 8-row edge
        // kernels, the narrow-C swap for n < NR), k across 1, odd depths and the KC = 512 block edge.
        int[] ms = [1, 2, 3, 5, 6, 7, 11, 12, 13, 17, 25];
        int[] ns = [1, 3, 4, 7, 8, 9, 15, 17, 33];
        int[] ks = [1, 3, 8, 37, 511, 513];
        foreach (string kernel in Gemm.KernelNames)
        {
            var rng = new Random(59);
            foreach (int m in ms)
            {
                foreach (int n in ns)
                {
                    Check(rng, m, n, ks[(m + n) % ks.Length], transA, transB, accumulate, kernel: kernel);
                }
            }

            int[][] blocks = [[97, 31, 600], [129, 95, 31], [43, 70, 1025], [13, 2052, 3]];
            foreach (int[] b in blocks)
            {
                Check(rng, b[0], b[1], b[2], transA, transB, accumulate, padA: 1, padB: 2, padC: 3, kernel: kernel);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_kernel_computes_its_documented_sum_bit_for_bit(bool transA, bool transB, bool accumulate)
    {
        // Within one KC = 512 block an element gets s = fma(a·b + s) from s = 0 in k order on the fused kernels, and
        // s = s + round(a·b) on the 128-bit kernel without FMA, then c + s (c = s when not accumulating); the scalar
        // kernel starts from c instead. Recomputed here with MathF.FusedMultiplyAdd and plain float arithmetic, so a
        // kernel that fuses when it should not (or the reverse), drops a term or reorders the sum fails. The shapes
        // are above the plain-loop cut (m·n·k > 512) and include edge tiles and the narrow-C swap (n = 3).
        int[][] shapes = [[13, 17, 40], [6, 8, 511], [25, 3, 77], [7, 33, 200]];
        var rng = new Random(61);
        foreach (string kernel in Gemm.KernelNames)
        {
            bool fused = !kernel.StartsWith("v128", StringComparison.Ordinal) && !kernel.StartsWith("scalar", StringComparison.Ordinal);
            bool fromC = kernel.StartsWith("scalar", StringComparison.Ordinal);
            foreach (int[] shape in shapes)
            {
                int m = shape[0], n = shape[1], k = shape[2];
                float[] a = Random(rng, m * k), b = Random(rng, k * n), c = Random(rng, m * n);
                float[] r = (float[])c.Clone();
                Gemm.MultiplyBatchedWith(kernel, a, transA ? m : k, transA, b, transB ? k : n, transB, r, n, m, n, k, accumulate, 1, 0, 0, 0);
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float s = fromC && accumulate ? c[(i * n) + j] : 0f;
                        for (int p = 0; p < k; p++)
                        {
                            float x = transA ? a[(p * m) + i] : a[(i * k) + p];
                            float y = transB ? b[(j * k) + p] : b[(p * n) + j];
                            s = fused ? MathF.FusedMultiplyAdd(x, y, s) : s + (x * y);
                        }

                        float e = accumulate && !fromC ? c[(i * n) + j] + s : s;
                        BitConverter.SingleToInt32Bits(r[(i * n) + j]).Should().Be(BitConverter.SingleToInt32Bits(e),
                            $"C[{i},{j}] of {m}×{n}×{k} through {kernel} (transA={transA}, transB={transB}, accumulate={accumulate})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_kernel_sums_a_batch_with_zero_C_stride()
    {
        // Three 9×10·10×11 products summed into one C through each kernel: the batched entry passes the chosen kernel
        // down to every product.
        const int M = 9, N = 11, K = 10, Batch = 3;
        var rng = new Random(67);
        float[] a = Random(rng, Batch * M * K), b = Random(rng, Batch * K * N), c0 = Random(rng, M * N);
        foreach (string kernel in Gemm.KernelNames)
        {
            float[] c = (float[])c0.Clone();
            Gemm.MultiplyBatchedWith(kernel, a, K, false, b, N, false, c, N, M, N, K, true, Batch, M * K, K * N, 0);
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    double e = c0[(i * N) + j], scale = Math.Abs(e);
                    for (int t = 0; t < Batch; t++)
                    {
                        for (int p = 0; p < K; p++)
                        {
                            double x = a[(t * M * K) + (i * K) + p], y = b[(t * K * N) + (p * N) + j];
                            e += x * y;
                            scale += Math.Abs(x * y);
                        }
                    }

                    c[(i * N) + j].Should().BeApproximately((float)e, (float)(4 * (K + 2) * scale / (1 << 24)), $"C[{i},{j}] through {kernel}");
                }
            }
        }

        Action unknown = () => Gemm.MultiplyBatchedWith("avx1024 1×1", a, K, false, b, N, false, c0, N, M, N, K, true, 1, 0, 0, 0);
        unknown.Should().Throw<ArgumentException>().WithMessage("Micro-kernel 'avx1024 1×1' is not supported on this CPU.*");
    }

    [Fact]
    public void K_zero_clears_or_keeps_C()
    {
        float[] c = [1, 2, 3, 4, 5, 6];
        Gemm.Multiply([], 0, false, [], 3, false, c, 3, 2, 3, 0, accumulate: true);
        c.Should().Equal(1, 2, 3, 4, 5, 6);
        Gemm.Multiply([], 0, false, [], 3, false, c, 3, 2, 3, 0, accumulate: false);
        c.Should().OnlyContain(x => x == 0f);
    }

    [Fact]
    public void Tiny_product_is_exact()
    {
        // Small integers: every partial sum is exactly representable, so any summation order is exact.
        float[] a = [1, 2, 3, 4, 5];
        float[] b = [1, 0, 2, 0, 1, 0, 1, 1, 1, 2, 0, 0, 3, 3, 3];
        float[] c = new float[3];
        Gemm.Multiply(a, 5, false, b, 3, false, c, 3, 1, 3, 5, accumulate: false);
        c.Should().Equal(27, 20, 20);
    }

    [Fact]
    public void Batched_with_broadcast_and_strides_matches_reference()
    {
        var rng = new Random(37);
        const int Batch = 4, M = 19, N = 35, K = 23;
        float[] a = Random(rng, Batch * M * K);
        float[] b = Random(rng, K * N);
        float[] c = Random(rng, Batch * M * N);
        float[] c0 = (float[])c.Clone();

        // A strided (stored transposed), B broadcast, C strided and accumulated.
        Gemm.MultiplyBatched(a, M, true, b, N, false, c, N, M, N, K, true, Batch, M * K, 0, M * N);
        for (int t = 0; t < Batch; t++)
        {
            double[] expected = Reference(a.AsSpan(t * M * K), M, true, b, N, false, c0.AsSpan(t * M * N), N, M, N, K, true, out double[] scale);
            AssertClose(c.AsSpan(t * M * N), N, expected, scale, M, N, K, $"batch {t}");
        }
    }

    [Fact]
    public void Batched_with_zero_C_stride_sums_the_products()
    {
        var rng = new Random(41);
        const int Batch = 3, M = 9, N = 40, K = 50;
        float[] a = Random(rng, Batch * M * K);
        float[] b = Random(rng, Batch * N * K);
        float[] c = Random(rng, M * N);
        float[] expected = new float[M * N];
        for (int t = 0; t < Batch; t++)
        {
            Gemm.Multiply(a.AsSpan(t * M * K), K, false, b.AsSpan(t * N * K), K, true, expected, N, M, N, K, accumulate: t > 0);
        }

        Gemm.MultiplyBatched(a, K, false, b, K, true, c, N, M, N, K, false, Batch, M * K, N * K, 0);
        c.Should().Equal(expected);
    }

    [Fact]
    public void Empty_dimensions_and_batches_are_no_ops()
    {
        float[] c = [7, 8];
        Gemm.Multiply([], 0, false, [1, 2], 2, false, c, 2, 0, 2, 1, false);
        Gemm.Multiply([1], 1, false, [], 0, false, c, 0, 1, 0, 1, false);
        Gemm.MultiplyBatched([], 1, false, [], 2, false, c, 2, 1, 2, 1, false, 0, 1, 2, 2);
        c.Should().Equal(7, 8);
    }

    [Fact]
    public void Invalid_arguments_throw_with_the_problem_named()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        Action negative = () => Gemm.Multiply(a, 3, false, b, 2, false, c, 2, -1, 2, 3, false);
        negative.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("m");

        Action smallLda = () => Gemm.Multiply(a, 2, false, b, 2, false, c, 2, 2, 2, 3, false);
        smallLda.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("lda");

        Action smallLdaT = () => Gemm.Multiply(a, 1, true, b, 2, false, c, 2, 2, 2, 3, false);
        smallLdaT.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("lda");

        Action shortA = () => Gemm.Multiply(a.AsSpan(1), 3, false, b, 2, false, c, 2, 2, 2, 3, false);
        shortA.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("a");

        Action shortB = () => Gemm.Multiply(a, 3, false, b, 4, true, c, 2, 2, 2, 3, false);
        shortB.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("b");

        Action shortC = () => Gemm.Multiply(a, 3, false, b, 2, false, c, 3, 2, 2, 3, false);
        shortC.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("c");

        Action shortBatch = () => Gemm.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 2, 0, 0, 4);
        shortBatch.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("c");

        Action negativeStride = () => Gemm.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 1, -1, 0, 0);
        negativeStride.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("strideA");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void One_and_two_threads_give_bit_identical_results(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(43);
        // 300×517×129 splits over N, 517×300×129 over M; both are far above the parallel threshold.
        int[][] shapes = [[300, 517, 129], [517, 300, 129], [64, 256, 784]];
        foreach (int[] s in shapes)
        {
            int m = s[0], n = s[1], k = s[2];
            float[] a = Random(rng, m * k), b = Random(rng, k * n), c = Random(rng, m * n);
            float[] c1 = (float[])c.Clone(), c2 = (float[])c.Clone();
            int lda = transA ? m : k, ldb = transB ? k : n;
            int saved = Parallelism.NumThreads;
            try
            {
                Parallelism.NumThreads = 1;
                Gemm.Multiply(a, lda, transA, b, ldb, transB, c1, n, m, n, k, accumulate);
                Parallelism.NumThreads = 2;
                Gemm.Multiply(a, lda, transA, b, ldb, transB, c2, n, m, n, k, accumulate);
            }
            finally
            {
                Parallelism.NumThreads = saved;
            }

            c2.AsSpan().SequenceEqual(c1).Should().BeTrue($"{m}×{n}×{k} must not depend on the thread count");
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Rows_give_the_same_bits_whichever_kernel_computes_them(bool transA, bool transB, bool accumulate)
    {
        // With 24 rows every row goes through full micro-tiles; with m < 24 the last rows go through an edge kernel
        // (4 or 8 rows on AVX-512) or the full kernel on zero padding. Each C element must still get the same sums
        // in the same order, so row i of the m-row product equals row i of the 24-row one bit for bit.
        var rng = new Random(47);
        const int rows = 24, n = 70, k = 300;
        float[] a = Random(rng, rows * k), b = Random(rng, k * n), c = Random(rng, rows * n);
        int ldb = transB ? k : n;
        float[] all = (float[])c.Clone();
        Gemm.Multiply(a, transA ? rows : k, transA, b, ldb, transB, all, n, rows, n, k, accumulate);
        for (int m = 1; m < rows; m++)
        {
            // op(A) restricted to its first m rows: row-major A keeps its layout; stored transposed (k×rows), the
            // first m columns of each of its k rows are read through lda = rows.
            float[] part = c.AsSpan(0, m * n).ToArray();
            Gemm.Multiply(a, transA ? rows : k, transA, b, ldb, transB, part, n, m, n, k, accumulate);
            part.AsSpan().SequenceEqual(all.AsSpan(0, m * n)).Should().BeTrue($"rows of a {m}-row product ({Gemm.KernelName})");
        }
    }

    [Fact]
    public void Batch_of_small_products_split_over_threads_matches_one_thread_and_reference()
    {
        var rng = new Random(53);
        const int Batch = 40, M = 48, N = 50, K = 47;
        float[] a = Random(rng, Batch * K * M), b = Random(rng, Batch * K * N), c = Random(rng, Batch * M * N);
        float[] c1 = (float[])c.Clone(), c2 = (float[])c.Clone();
        int saved = Parallelism.NumThreads;
        try
        {
            Parallelism.NumThreads = 1;
            Gemm.MultiplyBatched(a, M, true, b, N, false, c1, N, M, N, K, true, Batch, K * M, K * N, M * N);
            Parallelism.NumThreads = 2;
            Gemm.MultiplyBatched(a, M, true, b, N, false, c2, N, M, N, K, true, Batch, K * M, K * N, M * N);
        }
        finally
        {
            Parallelism.NumThreads = saved;
        }

        c2.AsSpan().SequenceEqual(c1).Should().BeTrue();
        foreach (int t in new[] { 0, 17, Batch - 1 })
        {
            double[] expected = Reference(a.AsSpan(t * K * M), M, true, b.AsSpan(t * K * N), N, false, c.AsSpan(t * M * N), N, M, N, K, true, out double[] scale);
            AssertClose(c2.AsSpan(t * M * N), N, expected, scale, M, N, K, $"batch {t}");
        }
    }

    [Fact]
    public void Concurrent_callers_do_not_deadlock_and_agree()
    {
        var rng = new Random(47);
        const int M = 200, N = 300, K = 150;
        float[] a = Random(rng, M * K), b = Random(rng, K * N);
        float[] expected = new float[M * N];
        Gemm.Multiply(a, K, false, b, N, false, expected, N, M, N, K, false);
        int saved = Parallelism.NumThreads;
        Parallelism.NumThreads = 2;
        try
        {
            float[][] results = new float[4][];
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
            {
                results[t] = new float[M * N];
                for (int r = 0; r < 5; r++)
                {
                    Gemm.Multiply(a, K, false, b, N, false, results[t], N, M, N, K, false);
                }
            });
            foreach (float[] r in results)
            {
                r.AsSpan().SequenceEqual(expected).Should().BeTrue();
            }
        }
        finally
        {
            Parallelism.NumThreads = saved;
        }
    }

    [Fact]
    public void Worker_exceptions_reach_the_caller_and_the_pool_recovers()
    {
        var failing = new FailingWork(failAt: 3);
        Action run = () => WorkerPool.Run(failing, 8, 2);
        run.Should().Throw<InvalidOperationException>().WithMessage("part 3");

        var counting = new FailingWork(failAt: -1);
        WorkerPool.Run(counting, 8, 2);
        counting.Executed.Should().Be(8);
    }

    [Fact]
    public void NumThreads_rejects_values_below_one()
    {
        Action set = () => Parallelism.NumThreads = 0;
        set.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static void Check(Random rng, int m, int n, int k, bool transA, bool transB, bool accumulate,
                              int padA = 0, int padB = 0, int padC = 0, string? kernel = null)
    {
        int rowsA = transA ? k : m, colsA = transA ? m : k;
        int rowsB = transB ? n : k, colsB = transB ? k : n;
        int lda = colsA + padA, ldb = colsB + padB, ldc = n + padC;
        float[] a = Padded(rng, rowsA, colsA, lda);
        float[] b = Padded(rng, rowsB, colsB, ldb);
        float[] c = Padded(rng, m, n, ldc);
        float[] c0 = (float[])c.Clone();
        double[] expected = Reference(a, lda, transA, b, ldb, transB, c0, ldc, m, n, k, accumulate, out double[] scale);
        if (kernel is null)
        {
            Gemm.Multiply(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate);
        }
        else
        {
            Gemm.MultiplyBatchedWith(kernel, a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, 1, 0, 0, 0);
        }

        AssertClose(c, ldc, expected, scale, m, n, k, $"m={m} n={n} k={k} transA={transA} transB={transB} accumulate={accumulate} kernel={kernel ?? Gemm.KernelName}");
        for (int i = 0; i < m; i++)
        {
            for (int j = n; j < ldc && (i * ldc) + j < c.Length; j++)
            {
                BitConverter.SingleToInt32Bits(c[(i * ldc) + j]).Should().Be(BitConverter.SingleToInt32Bits(c0[(i * ldc) + j]), "padding of C must not be written");
            }
        }
    }

    /// <summary>A rows×cols matrix with leading dimension ld; the padding holds NaN so any read of it poisons the result.</summary>
    private static float[] Padded(Random rng, int rows, int cols, int ld)
    {
        int length = rows == 0 || cols == 0 ? 0 : ((rows - 1) * ld) + cols;
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = i % ld < cols ? (float)((rng.NextDouble() * 2) - 1) : float.NaN;
        }

        return x;
    }

    private static float[] Random(Random rng, int length)
    {
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return x;
    }

    private static double[] Reference(ReadOnlySpan<float> a, int lda, bool transA, ReadOnlySpan<float> b, int ldb, bool transB,
                                      ReadOnlySpan<float> c, int ldc, int m, int n, int k, bool accumulate, out double[] scale)
    {
        double[] r = new double[m * n];
        scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = accumulate ? c[(i * ldc) + j] : 0;
                double abs = Math.Abs(s);
                for (int p = 0; p < k; p++)
                {
                    double x = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    double y = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    s += x * y;
                    abs += Math.Abs(x * y);
                }

                r[(i * n) + j] = s;
                scale[(i * n) + j] = abs;
            }
        }

        return r;
    }

    /// <summary>
    /// Float32 summation of k products onto c₀ in any order (with or without FMA) errs by at most
    /// γ_(k+1)·(|c₀| + Σ|a·b|) with γ_j ≈ j·u, u = 2⁻²⁴ (Higham, Accuracy and Stability, §3.1); the bound
    /// 2u·(k + 2)·scale covers that with margin yet stays ~10⁻⁵ relative for k ≈ 40, so a wrong
    /// element, lost term or read of padding (NaN) fails.
    /// </summary>
    private static void AssertClose(ReadOnlySpan<float> c, int ldc, double[] expected, double[] scale, int m, int n, int k, string because)
    {
        const double U = 1.0 / (1 << 24);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double e = expected[(i * n) + j];
                double tol = (2 * U * (k + 2) * scale[(i * n) + j]) + 1e-30;
                double got = c[(i * ldc) + j];
                if (!(Math.Abs(got - e) <= tol))
                {
                    got.Should().BeApproximately(e, tol, $"C[{i},{j}] for {because}");
                }
            }
        }
    }

    private sealed class FailingWork(int failAt) : IParallelWork
    {
        private int _executed;

        public int Executed => _executed;

        public void Execute(int index)
        {
            Interlocked.Increment(ref _executed);
            if (index == failAt)
            {
                throw new InvalidOperationException($"part {index}");
            }
        }
    }
}

/// <summary>Collection serialising test classes that change <see cref="Parallelism.NumThreads"/>.</summary>
[CollectionDefinition(nameof(NumThreadsTests), DisableParallelization = true)]
public sealed class NumThreadsTests;
