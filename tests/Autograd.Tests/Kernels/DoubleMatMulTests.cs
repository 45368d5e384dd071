using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>
/// The plain float64 (and integer) GEMM behind float64 MatMul, against a textbook triple loop summing over k in the same
/// order: bit-for-bit equal, for every transposition, padded leading dimensions, accumulation, and shapes around its
/// 64-column block.
/// </summary>
public sealed class DoubleMatMulTests
{
    private static readonly int[] s_sizes = [0, 1, 2, 3, 7, 63, 64, 65, 130];

    public static TheoryData<int, int, int, bool, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        int i = 0;
        foreach (int m in new[] { 0, 1, 3, 5 })
        {
            foreach (int n in s_sizes)
            {
                foreach (int k in new[] { 0, 1, 4, 9 })
                {
                    // Cycle the flags so every combination occurs over the shapes without a 1,152-case product.
                    data.Add(m, n, k, (i & 1) != 0, (i & 2) != 0, (i & 4) != 0);
                    i++;
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_EqualsTripleLoop_BitForBit(int m, int n, int k, bool transA, bool transB, bool accumulate)
    {
        var random = new Random((m * 1000) + (n * 10) + k);
        int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
        double[] a = Fill(random, (transA ? k : m) * lda);
        double[] b = Fill(random, (transB ? n : k) * ldb);
        double[] c = Fill(random, Math.Max(m * ldc, 0));
        double[] expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? expected[(i * ldc) + j] : 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (transA ? a[(p * lda) + i] : a[(i * lda) + p]) * (transB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                }

                expected[(i * ldc) + j] = sum;
            }
        }

        DoubleMatMul.Multiply<double>(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate);

        c.Should().Equal(expected, "padding between rows of C is untouched and every element is the ordered sum");
    }

    [Fact]
    public void Multiply_OnIntegers_IsExact()
    {
        // [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]].
        long[] c = new long[4];
        DoubleMatMul.Multiply<long>([1, 2, 3, 4], 2, false, [5, 6, 7, 8], 2, false, c, 2, 2, 2, 2, accumulate: false);
        c.Should().Equal(19, 22, 43, 50);
    }

    private static double[] Fill(Random random, int count)
    {
        double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        return values;
    }
}
