using System.Numerics;

namespace Autograd.Kernels;

/// <summary>
/// A plain GEMM for float64 (and the integer dtypes) with the contract of <see cref="Gemm.Multiply"/>: C[m×n] (+)= op(A)[m×k]·op(B)[k×n], where
/// op(A) reads A row-major with leading dimension <c>lda</c> (transposed: A is stored k×m), likewise B, and C has
/// leading dimension <c>ldc</c>. A stand-in for the tuned float64 GEMM (Gemm64), correct rather than fast.
/// </summary>
/// <remarks>
/// Each element of C is one dot product accumulated in order over k (i-k-j loop order, so the inner loop runs along a
/// row of C and of B), with no reassociation: results do not depend on blocking or threads. Blocks of 64 columns of C
/// keep one row of C and the rows of B it meets in cache.
/// </remarks>
internal static class DoubleMatMul
{
    private const int ColumnBlock = 64;

    internal static void Multiply<T>(ReadOnlySpan<T> a, int lda, bool transA,
                                     ReadOnlySpan<T> b, int ldb, bool transB,
                                     Span<T> c, int ldc, int m, int n, int k, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (!accumulate)
            {
                row.Clear();
            }

            for (int j0 = 0; j0 < n; j0 += ColumnBlock)
            {
                int width = Math.Min(ColumnBlock, n - j0);
                Span<T> block = row.Slice(j0, width);
                for (int p = 0; p < k; p++)
                {
                    T aip = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    if (transB)
                    {
                        for (int j = 0; j < width; j++)
                        {
                            block[j] += aip * b[((j0 + j) * ldb) + p];
                        }
                    }
                    else
                    {
                        ReadOnlySpan<T> bRow = b.Slice((p * ldb) + j0, width);
                        for (int j = 0; j < width; j++)
                        {
                            block[j] += aip * bRow[j];
                        }
                    }
                }
            }
        }
    }
}
