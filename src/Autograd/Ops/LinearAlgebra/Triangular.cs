namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The lower triangle of the matrices in the last two dimensions: <c>out[…, i, j] = j − i ≤ diagonal ? x[…, i, j] : 0</c>
    /// (PyTorch's <c>tril</c>). A where with a constant mask, so ∂L/∂x = tril(G).
    /// </summary>
    /// <param name="x">A tensor of rank at least 2.</param>
    /// <param name="diagonal">0 keeps the main diagonal, positive values more diagonals above it, negative fewer.</param>
    /// <exception cref="ArgumentOutOfRangeException">x has fewer than 2 dimensions.</exception>
    public static Tensor Tril(Tensor x, int diagonal = 0) => Triangle(x, diagonal, lower: true);

    /// <inheritdoc cref="Tril(Tensor, int)"/>
    public Tensor Tril(int diagonal = 0) => Tril(this, diagonal);

    /// <summary>
    /// The upper triangle of the matrices in the last two dimensions: <c>out[…, i, j] = j − i ≥ diagonal ? x[…, i, j] : 0</c>
    /// (PyTorch's <c>triu</c>). A where with a constant mask, so ∂L/∂x = triu(G).
    /// </summary>
    /// <param name="x">A tensor of rank at least 2.</param>
    /// <param name="diagonal">0 keeps the main diagonal, positive values drop diagonals above it, negative keep more below.</param>
    /// <exception cref="ArgumentOutOfRangeException">x has fewer than 2 dimensions.</exception>
    public static Tensor Triu(Tensor x, int diagonal = 0) => Triangle(x, diagonal, lower: false);

    /// <inheritdoc cref="Triu(Tensor, int)"/>
    public Tensor Triu(int diagonal = 0) => Triu(this, diagonal);

    private static Tensor Triangle(Tensor x, int diagonal, bool lower)
    {
        ArgumentNullException.ThrowIfNull(x);
        Autograd.Shape.NormalizeDim(-2, x.Rank);   // PyTorch's error for fewer than 2 dimensions
        int rows = x._shape[^2], columns = x._shape[^1];
        Tensor offset = Arange(columns, DType.Int64).Reshape(1, columns) - Arange(rows, DType.Int64).Reshape(rows, 1);
        Tensor keep = lower ? offset <= (long)diagonal : offset >= (long)diagonal;
        return Where(keep, x, Zeros([], x._dtype));
    }
}
