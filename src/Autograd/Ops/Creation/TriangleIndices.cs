namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The coordinates of the lower triangle of a <paramref name="row"/>×<paramref name="col"/> matrix, on and below
    /// diagonal <paramref name="offset"/> (j − i ≤ offset), as a 2×N tensor (row indices, then column indices) in
    /// row-major order (PyTorch's <c>torch.tril_indices</c>). int64 or int32.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative.</exception>
    /// <exception cref="NotSupportedException"><paramref name="dtype"/> is not an integer type.</exception>
    public static Tensor TrilIndices(int row, int col, int offset = 0, DType dtype = DType.Int64) =>
        TriangleIndices(row, col, offset, dtype, lower: true);

    /// <summary>
    /// The coordinates of the upper triangle of a <paramref name="row"/>×<paramref name="col"/> matrix, on and above
    /// diagonal <paramref name="offset"/> (j − i ≥ offset), as a 2×N tensor in row-major order (PyTorch's
    /// <c>torch.triu_indices</c>). int64 or int32.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative.</exception>
    /// <exception cref="NotSupportedException"><paramref name="dtype"/> is not an integer type.</exception>
    public static Tensor TriuIndices(int row, int col, int offset = 0, DType dtype = DType.Int64) =>
        TriangleIndices(row, col, offset, dtype, lower: false);

    private static Tensor TriangleIndices(int row, int col, int offset, DType dtype, bool lower)
    {
        if (row < 0)
        {
            throw new ArgumentException($"row must be non-negative, got{row}", nameof(row));
        }

        if (col < 0)
        {
            throw new ArgumentException($"col must be non-negative, got{col}", nameof(col));
        }

        if (dtype is not (DType.Int64 or DType.Int32))
        {
            throw NotImplementedFor(dtype, lower ? "tril_indices" : "triu_indices");
        }

        long[] values = Kernels.Ranges.TriangleIndices(row, col, offset, lower);
        return From(values, [2, values.Length / 2]).To(dtype);
    }
}
