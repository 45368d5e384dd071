using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>General matrix multiply. Placeholder until the blocked kernel lands: correct, not fast.</summary>
internal static class Gemm
{
    /// <summary>
    /// C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major; op(A) is m×k, op(B) is k×n.
    /// transA: A is stored k×m (leading dimension lda) and read transposed in place; likewise transB (B stored n×k).
    /// </summary>
    internal static void Multiply(
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        Span<float> c, int ldc, int m, int n, int k, bool accumulate)
    {
        float[] row = new float[n];
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * ldc, n);
            if (!accumulate)
            {
                cRow.Clear();
            }

            for (int p = 0; p < k; p++)
            {
                float aip = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                if (transB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        row[j] = b[(j * ldb) + p];
                    }

                    TensorPrimitives.MultiplyAdd(row, aip, cRow, cRow);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, cRow, cRow);
                }
            }
        }
    }
}
