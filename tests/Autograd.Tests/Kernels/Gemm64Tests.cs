using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="Gemm64"/> against a compensated double-precision reference. Every shape runs through every
/// micro-kernel this CPU supports (<see cref="Gemm64.KernelNames"/>: AVX-512, AVX2, 128-bit FMA, NEON, 128-bit
/// multiply + add, scalar), and CI
/// reruns the class with AVX-512 and then AVX2 switched off, which changes the dispatched one.
/// </summary>
[Collection(nameof(NumThreadsTests))]
public sealed class Gemm64Tests(ITestOutputHelper output)
{
    /// <summary>
    /// Rows around every edge of the kernels: MR = 12 (edge kernels for 4 and 8 rows), 6 and 4, and their multiples
    /// up to 70.
    /// </summary>
    private static readonly int[] s_edgeM = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 23, 24, 25, 35, 36, 37, 47, 48, 49, 59, 60, 61, 70];

    /// <summary>Columns around every edge of NR = 16, 8 and 4 (the scalar kernel's 8 included) up to 70.</summary>
    private static readonly int[] s_edgeN = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 70];

    private static readonly string[] s_kernels = Gemm64.KernelNames;

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

    [Fact]
    public void Reports_the_dispatched_kernel()
    {
        output.WriteLine($"float64 GEMM micro-kernel: {Gemm64.KernelName}; supported: {string.Join(", ", s_kernels)}");
        Gemm64.KernelName.Should().MatchRegex("^(avx512|avx2|fma128|neon|v128|scalar) ");
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
        {
            // No scalar matrix product where 128-bit vectors are accelerated (ARM64 NEON, x64 without AVX2).
            Gemm64.KernelName.Should().NotStartWith("scalar");
        }
        s_kernels[0].Should().Be(Gemm64.KernelName);
        s_kernels[^1].Should().StartWith("scalar");

        // .NET 10 ignores the old per-ISA knob DOTNET_EnableAVX512F; a CI leg meant to cover the AVX2 fallback must
        // set DOTNET_EnableAVX512=0, or it silently re-tests the AVX-512 kernel.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0")
        {
            Gemm64.KernelName.Should().NotStartWith("avx512", "DOTNET_EnableAVX512F=0 no longer disables AVX-512 on .NET 10; set DOTNET_EnableAVX512=0");
        }
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
    public void Every_k_up_to_70_and_tile_edges_match_reference(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(23);
        for (int k = 0; k <= 70; k++)
        {
            foreach (int m in s_edgeM)
            {
                int n = s_edgeN[((k * 5) + m) % s_edgeN.Length];
                Check(rng, m, n, k, transA, transB, accumulate);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_pair_of_tile_edges_matches_reference(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(19);
        foreach (int m in s_edgeM)
        {
            foreach (int n in s_edgeN)
            {
                Check(rng, m, n, 1 + ((m + n) % 9), transA, transB, accumulate);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Block_edges_match_reference(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(29);
        // KC = 256, MC = 96, NC = 2048, the tiny-product cut at m·n·k = 256 and the narrow-C swap (n < NR, m > n):
        // one below, at and above each edge.
        int[][] shapes =
        [
            [4, 8, 8], [4, 8, 9], [1, 256, 1], [1, 257, 1], [8, 8, 8],
            [13, 17, 255], [12, 16, 256], [25, 9, 257], [5, 33, 513],
            [95, 20, 33], [96, 17, 20], [97, 15, 300], [193, 9, 17],
            [3, 2047, 5], [3, 2048, 20], [13, 2049, 3], [2, 4097, 5],
            [70, 3, 40], [45, 1, 300], [70, 7, 9], [129, 70, 257],
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
        int[][] shapes = [[1, 1, 1], [5, 3, 1], [8, 8, 8], [13, 31, 9], [29, 33, 40], [45, 70, 300], [61, 5, 70]];
        foreach (int[] s in shapes)
        {
            Check(rng, s[0], s[1], s[2], transA, transB, accumulate, padA: 3, padB: 5, padC: 7);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Vector_kernels_give_the_same_bits(bool transA, bool transB, bool accumulate)
    {
        // Every FMA kernel sums each element the same way (per KC block, fma chain from zero in k order, then added to
        // C), whatever its MR×NR, so their results agree bit for bit; only the 128-bit kernel without FMA ("v128") and the
        // scalar one round products apart.
        var rng = new Random(37);
        string[] fused = [.. s_kernels.Where(x => !x.StartsWith("scalar", StringComparison.Ordinal) && !x.StartsWith("v128", StringComparison.Ordinal))];
        int[][] shapes = [[37, 45, 70], [70, 70, 300], [13, 3, 600], [97, 33, 257]];
        foreach (int[] s in shapes)
        {
            int m = s[0], n = s[1], k = s[2];
            double[] a = Random(rng, m * k), b = Random(rng, k * n), c = Random(rng, m * n);
            double[]? first = null;
            foreach (string kernel in fused)
            {
                double[] r = (double[])c.Clone();
                Gemm64.MultiplyBatchedWith(kernel, a, transA ? m : k, transA, b, transB ? k : n, transB, r, n, m, n, k, accumulate, 1, 0, 0, 0);
                first ??= r;
                r.AsSpan().SequenceEqual(first).Should().BeTrue($"{kernel} on {m}×{n}×{k} must match {fused[0]}");
            }
        }
    }

    [Fact]
    public void K_zero_clears_or_keeps_C()
    {
        double[] c = [1, 2, 3, 4, 5, 6];
        Gemm64.Multiply([], 0, false, [], 3, false, c, 3, 2, 3, 0, accumulate: true);
        c.Should().Equal(1, 2, 3, 4, 5, 6);
        Gemm64.Multiply([], 0, false, [], 3, false, c, 3, 2, 3, 0, accumulate: false);
        c.Should().OnlyContain(x => x == 0d);
    }

    [Fact]
    public void Tiny_and_packed_products_of_integers_are_exact()
    {
        // Small integers: every partial sum is exactly representable, so any summation order is exact.
        double[] a = [1, 2, 3, 4, 5];
        double[] b = [1, 0, 2, 0, 1, 0, 1, 1, 1, 2, 0, 0, 3, 3, 3];
        double[] c = new double[3];
        Gemm64.Multiply(a, 5, false, b, 3, false, c, 3, 1, 3, 5, accumulate: false);
        c.Should().Equal(27, 20, 20);

        // 40×40×40 goes through the packed kernels: entries (i + 2p) and (p − j) mod 7 give sums below 2⁵³.
        const int N = 40;
        double[] x = new double[N * N], y = new double[N * N], z = new double[N * N];
        for (int i = 0; i < N * N; i++)
        {
            x[i] = ((i / N) + (2 * (i % N))) % 7;
            y[i] = (((i / N) - (i % N)) % 7) - 3;
        }

        foreach (string kernel in s_kernels)
        {
            Gemm64.MultiplyBatchedWith(kernel, x, N, false, y, N, false, z, N, N, N, N, false, 1, 0, 0, 0);
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    double s = 0;
                    for (int p = 0; p < N; p++)
                    {
                        s += x[(i * N) + p] * y[(p * N) + j];
                    }

                    z[(i * N) + j].Should().Be(s, kernel);
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Batched_with_broadcast_and_strides_matches_reference(bool accumulate)
    {
        var rng = new Random(41);
        const int Batch = 4, M = 19, N = 35, K = 23;
        double[] a = Random(rng, Batch * M * K), b = Random(rng, Batch * K * N), c = Random(rng, Batch * M * N);

        // A strided (stored transposed), B broadcast; then A broadcast, B strided (stored transposed).
        (int StrideA, int StrideB, bool TransA, bool TransB)[] cases = [(M * K, 0, true, false), (0, N * K, false, true)];
        foreach ((int strideA, int strideB, bool transA, bool transB) in cases)
        {
            foreach (string kernel in s_kernels)
            {
                double[] r = (double[])c.Clone();
                Gemm64.MultiplyBatchedWith(kernel, a, transA ? M : K, transA, b, transB ? K : N, transB, r, N, M, N, K, accumulate,
                                           Batch, strideA, strideB, M * N);
                for (int t = 0; t < Batch; t++)
                {
                    double[] expected = Reference(a.AsSpan(t * strideA), transA ? M : K, transA, b.AsSpan(t * strideB), transB ? K : N, transB,
                                                  c.AsSpan(t * M * N), N, M, N, K, accumulate, out double[] scale);
                    AssertClose(r.AsSpan(t * M * N), N, expected, scale, M, N, K, $"{kernel} batch {t} strides {strideA}/{strideB}");
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Batched_with_zero_C_stride_sums_the_products(bool accumulate)
    {
        var rng = new Random(43);
        const int Batch = 3, M = 9, N = 40, K = 50;
        double[] a = Random(rng, Batch * M * K), b = Random(rng, Batch * N * K), c = Random(rng, M * N);
        double[] expected = (double[])c.Clone();
        for (int t = 0; t < Batch; t++)
        {
            Gemm64.Multiply(a.AsSpan(t * M * K), K, false, b.AsSpan(t * N * K), K, true, expected, N, M, N, K, accumulate: accumulate || t > 0);
        }

        double[] r = (double[])c.Clone();
        Gemm64.MultiplyBatched(a, K, false, b, K, true, r, N, M, N, K, accumulate, Batch, M * K, N * K, 0);
        r.Should().Equal(expected);

        // And against the reference: C₀ (when accumulating) plus all 3·K products in one compensated sum.
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                var sum = new CompensatedSum(accumulate ? c[(i * N) + j] : 0);
                for (int t = 0; t < Batch; t++)
                {
                    for (int p = 0; p < K; p++)
                    {
                        sum.AddProduct(a[(t * M * K) + (i * K) + p], b[(t * N * K) + (j * K) + p]);
                    }
                }

                double tol = (Batch * (K + 3)) * U * sum.Scale;
                r[(i * N) + j].Should().BeApproximately(sum.Value, tol);
            }
        }
    }

    [Fact]
    public void Empty_dimensions_and_batches_are_no_ops()
    {
        double[] c = [7, 8];
        Gemm64.Multiply([], 0, false, [1, 2], 2, false, c, 2, 0, 2, 1, false);
        Gemm64.Multiply([1], 1, false, [], 0, false, c, 0, 1, 0, 1, false);
        Gemm64.MultiplyBatched([], 1, false, [], 2, false, c, 2, 1, 2, 1, false, 0, 1, 2, 2);
        c.Should().Equal(7, 8);
    }

    [Fact]
    public void Invalid_arguments_throw_with_the_problem_named()
    {
        double[] a = new double[6], b = new double[6], c = new double[4];
        Action negative = () => Gemm64.Multiply(a, 3, false, b, 2, false, c, 2, -1, 2, 3, false);
        negative.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("m");

        Action negativeK = () => Gemm64.Multiply(a, 3, false, b, 2, false, c, 2, 2, 2, -3, false);
        negativeK.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("k");

        Action smallLda = () => Gemm64.Multiply(a, 2, false, b, 2, false, c, 2, 2, 2, 3, false);
        smallLda.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("lda");

        Action smallLdaT = () => Gemm64.Multiply(a, 1, true, b, 2, false, c, 2, 2, 2, 3, false);
        smallLdaT.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("lda");

        Action smallLdb = () => Gemm64.Multiply(a, 3, false, b, 1, false, c, 2, 2, 2, 3, false);
        smallLdb.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("ldb");

        Action smallLdc = () => Gemm64.Multiply(a, 3, false, b, 2, false, c, 1, 2, 2, 3, false);
        smallLdc.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("ldc");

        Action shortA = () => Gemm64.Multiply(a.AsSpan(1), 3, false, b, 2, false, c, 2, 2, 2, 3, false);
        shortA.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("a");

        Action shortB = () => Gemm64.Multiply(a, 3, false, b, 4, true, c, 2, 2, 2, 3, false);
        shortB.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("b");

        Action shortC = () => Gemm64.Multiply(a, 3, false, b, 2, false, c, 3, 2, 2, 3, false);
        shortC.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("c");

        Action shortBatch = () => Gemm64.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 2, 0, 0, 4);
        shortBatch.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("c");

        Action shortBatchA = () => Gemm64.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 2, 6, 0, 0);
        shortBatchA.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("a");

        Action negativeBatch = () => Gemm64.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, -1, 0, 0, 0);
        negativeBatch.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("batch");

        Action negativeStride = () => Gemm64.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 1, -1, 0, 0);
        negativeStride.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("strideA");

        Action negativeStrideC = () => Gemm64.MultiplyBatched(a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 1, 0, 0, -1);
        negativeStrideC.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("strideC");

        Action unknownKernel = () => Gemm64.MultiplyBatchedWith("avx1024 1×1", a, 3, false, b, 2, false, c, 2, 2, 2, 3, false, 1, 0, 0, 0);
        unknownKernel.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("kernel");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void One_and_two_threads_give_bit_identical_results(bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(47);
        // Far above the parallel threshold (2¹⁸): 300×517×129 splits over N, 517×300×129 over M; 64³ just above it.
        int[][] shapes = [[300, 517, 129], [517, 300, 129], [64, 64, 64], [70, 5, 800]];
        foreach (int[] s in shapes)
        {
            int m = s[0], n = s[1], k = s[2];
            double[] a = Random(rng, m * k), b = Random(rng, k * n), c = Random(rng, m * n);
            double[] c1 = (double[])c.Clone(), c2 = (double[])c.Clone();
            int lda = transA ? m : k, ldb = transB ? k : n;
            int saved = Parallelism.NumThreads;
            try
            {
                Parallelism.NumThreads = 1;
                Gemm64.Multiply(a, lda, transA, b, ldb, transB, c1, n, m, n, k, accumulate);
                Parallelism.NumThreads = 2;
                Gemm64.Multiply(a, lda, transA, b, ldb, transB, c2, n, m, n, k, accumulate);
            }
            finally
            {
                Parallelism.NumThreads = saved;
            }

            c2.AsSpan().SequenceEqual(c1).Should().BeTrue($"{m}×{n}×{k} must not depend on the thread count");
            double[] expected = Reference(a, lda, transA, b, ldb, transB, c, n, m, n, k, accumulate, out double[] scale);
            AssertClose(c2, n, expected, scale, m, n, k, $"{m}×{n}×{k} on 2 threads");
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Rows_give_the_same_bits_whichever_kernel_computes_them(bool transA, bool transB, bool accumulate)
    {
        // With 24 rows every row goes through full micro-tiles; with m < 24 the last rows go through an edge kernel
        // (4 or 8 rows on AVX-512) or the full kernel on zero padding. Each C element must still get the same sums in
        // the same order, so row i of the m-row product equals row i of the 24-row one bit for bit.
        var rng = new Random(53);
        const int Rows = 24, N = 70, K = 300;
        double[] a = Random(rng, Rows * K), b = Random(rng, K * N), c = Random(rng, Rows * N);
        int ldb = transB ? K : N;
        foreach (string kernel in s_kernels)
        {
            double[] all = (double[])c.Clone();
            Gemm64.MultiplyBatchedWith(kernel, a, transA ? Rows : K, transA, b, ldb, transB, all, N, Rows, N, K, accumulate, 1, 0, 0, 0);
            for (int m = 1; m < Rows; m++)
            {
                // op(A) restricted to its first m rows: row-major A keeps its layout; stored transposed (K×Rows), the
                // first m columns of each of its K rows are read through lda = Rows.
                double[] part = c.AsSpan(0, m * N).ToArray();
                Gemm64.MultiplyBatchedWith(kernel, a, transA ? Rows : K, transA, b, ldb, transB, part, N, m, N, K, accumulate, 1, 0, 0, 0);
                part.AsSpan().SequenceEqual(all.AsSpan(0, m * N)).Should().BeTrue($"rows of a {m}-row product ({kernel})");
            }
        }
    }

    [Fact]
    public void Batch_of_small_products_split_over_threads_matches_one_thread_and_reference()
    {
        var rng = new Random(59);
        const int Batch = 40, M = 30, N = 35, K = 47;
        double[] a = Random(rng, Batch * K * M), b = Random(rng, Batch * K * N), c = Random(rng, Batch * M * N);
        double[] c1 = (double[])c.Clone(), c2 = (double[])c.Clone();
        int saved = Parallelism.NumThreads;
        try
        {
            Parallelism.NumThreads = 1;
            Gemm64.MultiplyBatched(a, M, true, b, N, false, c1, N, M, N, K, true, Batch, K * M, K * N, M * N);
            Parallelism.NumThreads = 2;
            Gemm64.MultiplyBatched(a, M, true, b, N, false, c2, N, M, N, K, true, Batch, K * M, K * N, M * N);
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
    public void Concurrent_callers_agree()
    {
        var rng = new Random(61);
        const int M = 150, N = 200, K = 100;
        double[] a = Random(rng, M * K), b = Random(rng, K * N);
        double[] expected = new double[M * N];
        Gemm64.Multiply(a, K, false, b, N, false, expected, N, M, N, K, false);
        int saved = Parallelism.NumThreads;
        Parallelism.NumThreads = 2;
        try
        {
            double[][] results = new double[4][];
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
            {
                results[t] = new double[M * N];
                for (int r = 0; r < 3; r++)
                {
                    Gemm64.Multiply(a, K, false, b, N, false, results[t], N, M, N, K, false);
                }
            });
            foreach (double[] r in results)
            {
                r.AsSpan().SequenceEqual(expected).Should().BeTrue();
            }
        }
        finally
        {
            Parallelism.NumThreads = saved;
        }
    }

    /// <summary>Unit roundoff of float64, 2⁻⁵³.</summary>
    private const double U = 1.0 / (1L << 53);

    /// <summary>Runs one shape through every supported kernel and checks it against the reference and C's padding.</summary>
    private static void Check(Random rng, int m, int n, int k, bool transA, bool transB, bool accumulate,
                              int padA = 0, int padB = 0, int padC = 0)
    {
        int rowsA = transA ? k : m, colsA = transA ? m : k;
        int rowsB = transB ? n : k, colsB = transB ? k : n;
        int lda = colsA + padA, ldb = colsB + padB, ldc = n + padC;
        double[] a = Padded(rng, rowsA, colsA, lda);
        double[] b = Padded(rng, rowsB, colsB, ldb);
        double[] c0 = Padded(rng, m, n, ldc);
        double[] expected = Reference(a, lda, transA, b, ldb, transB, c0, ldc, m, n, k, accumulate, out double[] scale);
        foreach (string kernel in s_kernels)
        {
            double[] c = (double[])c0.Clone();
            Gemm64.MultiplyBatchedWith(kernel, a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, 1, 0, 0, 0);
            string because = $"{kernel}: m={m} n={n} k={k} transA={transA} transB={transB} accumulate={accumulate}";
            AssertClose(c, ldc, expected, scale, m, n, k, because);
            for (int i = 0; i < m; i++)
            {
                for (int j = n; j < ldc && (i * ldc) + j < c.Length; j++)
                {
                    BitConverter.DoubleToInt64Bits(c[(i * ldc) + j]).Should().Be(BitConverter.DoubleToInt64Bits(c0[(i * ldc) + j]), $"padding of C must not be written ({because})");
                }
            }
        }

        // And once through the public entry point (the dispatched kernel).
        double[] cp = (double[])c0.Clone();
        Gemm64.Multiply(a, lda, transA, b, ldb, transB, cp, ldc, m, n, k, accumulate);
        AssertClose(cp, ldc, expected, scale, m, n, k, $"dispatched: m={m} n={n} k={k}");
    }

    /// <summary>A rows×cols matrix with leading dimension ld; the padding holds NaN so any read of it poisons the result.</summary>
    private static double[] Padded(Random rng, int rows, int cols, int ld)
    {
        int length = rows == 0 || cols == 0 ? 0 : ((rows - 1) * ld) + cols;
        double[] x = new double[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = i % ld < cols ? (rng.NextDouble() * 2) - 1 : double.NaN;
        }

        return x;
    }

    private static double[] Random(Random rng, int length)
    {
        double[] x = new double[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (rng.NextDouble() * 2) - 1;
        }

        return x;
    }

    /// <summary>
    /// The naive triple loop, each element summed in k order with error-free products and compensated addition, so it
    /// is the exact value rounded once (plus O(k·u²) of the absolute sum); <paramref name="scale"/> gets |c₀| + Σ|a·b|.
    /// </summary>
    private static double[] Reference(ReadOnlySpan<double> a, int lda, bool transA, ReadOnlySpan<double> b, int ldb, bool transB,
                                      ReadOnlySpan<double> c, int ldc, int m, int n, int k, bool accumulate, out double[] scale)
    {
        double[] r = new double[m * n];
        scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var sum = new CompensatedSum(accumulate ? c[(i * ldc) + j] : 0);
                for (int p = 0; p < k; p++)
                {
                    sum.AddProduct(transA ? a[(p * lda) + i] : a[(i * lda) + p], transB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                }

                r[(i * n) + j] = sum.Value;
                scale[(i * n) + j] = sum.Scale;
            }
        }

        return r;
    }

    /// <summary>
    /// Tolerance from the summation order. Each element is c₀ plus k products, computed by the kernel in some order
    /// (KC-blocked fma chains, or separate multiply and add in the scalar and tiny paths): that is at most k + 1
    /// roundings on the way to every term, so |ĉ − c| ≤ γ_(k+1)·(|c₀| + Σ|a·b|) with γ_j = j·u/(1 − j·u), u = 2⁻⁵³
    /// (Higham, Accuracy and Stability of Numerical Algorithms, §3.1). The reference errs by at most u·|c| plus
    /// O(k·u²)·scale, so (k + 3)·u·scale bounds the difference for every k tested (j·u ≤ 10⁻¹² there). That is about
    /// 10⁻¹⁴ relative for k ≈ 40, so a wrong element, a lost or doubled term or a read of padding (NaN) fails.
    /// </summary>
    private static void AssertClose(ReadOnlySpan<double> c, int ldc, double[] expected, double[] scale, int m, int n, int k, string because)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double e = expected[(i * n) + j];
                double tol = ((k + 3) * U * scale[(i * n) + j]) + double.Epsilon;
                double got = c[(i * ldc) + j];
                if (!(Math.Abs(got - e) <= tol))
                {
                    got.Should().BeApproximately(e, tol, $"C[{i},{j}] for {because}");
                }
            }
        }
    }

    /// <summary>
    /// Ogita–Rump–Oishi Dot2: each product split exactly into p + e with one fma, each addition into s + t with
    /// TwoSum, the error terms summed apart; the result is as if computed in twice the working precision.
    /// </summary>
    private struct CompensatedSum(double initial)
    {
        private double _s = initial;
        private double _err;

        public double Scale { get; private set; } = Math.Abs(initial);

        public readonly double Value => _s + _err;

        public void AddProduct(double x, double y)
        {
            double p = x * y;
            double pe = Math.FusedMultiplyAdd(x, y, -p);
            double s = _s + p;
            double bv = s - _s;
            double se = (_s - (s - bv)) + (p - bv);
            _s = s;
            _err += pe + se;
            Scale += Math.Abs(p);
        }
    }
}
