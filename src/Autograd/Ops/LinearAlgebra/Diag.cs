namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>diag</c>: of a vector v of length n, the square matrix of size n + |k| with v on diagonal k
    /// (<c>out[i, i + k] = v[i]</c>, zero elsewhere); of a matrix, its diagonal k as a new vector.
    /// The matrix is composed of a cat (padding v), a broadcast and a where with a constant mask, so ∂L/∂v is
    /// diagonal k of G; the vector is <see cref="Diagonal"/> copied, so ∂L/∂x is G on the diagonal and zero elsewhere.
    /// </summary>
    /// <param name="x">A vector or a matrix.</param>
    /// <param name="diagonal">k: 0 for the main diagonal, positive above it, negative below.</param>
    /// <exception cref="ArgumentException">x is neither a vector nor a matrix.</exception>
    public static Tensor Diag(Tensor x, int diagonal = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        switch (x.Rank)
        {
            case 2:
                return x.Diagonal(diagonal).Contiguous();
            case 1:
                int n = x._shape[0], size = n + Math.Abs(diagonal);
                Tensor padded = diagonal == 0 ? x : Cat([x, Zeros([Math.Abs(diagonal)], x._dtype)]);

                // Row i holds v[i] at column i + k (k ≥ 0); column j holds v[j] at row j − k (k < 0).
                Tensor values = diagonal >= 0 ? padded.Reshape(size, 1) : padded.Reshape(1, size);
                Tensor offset = Arange(size, DType.Int64).Reshape(1, size) - Arange(size, DType.Int64).Reshape(size, 1);
                return Where(offset.Eq((long)diagonal), values, Zeros([], x._dtype));
            default:
                throw new ArgumentException("matrix or a vector expected", nameof(x));
        }
    }

    /// <inheritdoc cref="Diag(Tensor, int)"/>
    public Tensor Diag(int diagonal = 0) => Diag(this, diagonal);

    /// <summary>The sum of a matrix's main diagonal, as a 0-d tensor (integers sum as int64, as PyTorch's).</summary>
    /// <exception cref="ArgumentException">x is not a matrix.</exception>
    public static Tensor Trace(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
        {
            throw new ArgumentException($"trace: expected a matrix, but got tensor with dim {x.Rank}", nameof(x));
        }

        return x.Diagonal().Sum();
    }

    /// <inheritdoc cref="Trace(Tensor)"/>
    public Tensor Trace() => Trace(this);

    /// <summary>
    /// The Kronecker product: with both operands padded to a common rank r by leading 1s,
    /// <c>out[i₁·q₁ + j₁, …] = a[i₁, …]·b[j₁, …]</c> for b of shape q, of shape (p₁q₁, …, pᵣqᵣ). Composed as an
    /// interleaved broadcast product and a reshape, so dtypes promote and gradients flow as in multiplication.
    /// </summary>
    public static Tensor Kron(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int rank = Math.Max(a.Rank, b.Rank);
        int[] aShape = new int[2 * rank], bShape = new int[2 * rank], shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int p = i - (rank - a.Rank) >= 0 ? a._shape[i - (rank - a.Rank)] : 1;
            int q = i - (rank - b.Rank) >= 0 ? b._shape[i - (rank - b.Rank)] : 1;
            (aShape[2 * i], aShape[(2 * i) + 1]) = (p, 1);
            (bShape[2 * i], bShape[(2 * i) + 1]) = (1, q);
            shape[i] = p * q;
        }

        return (a.Reshape(aShape) * b.Reshape(bShape)).Reshape(shape);
    }

    /// <inheritdoc cref="Kron(Tensor, Tensor)"/>
    public Tensor Kron(Tensor other) => Kron(this, other);
}
