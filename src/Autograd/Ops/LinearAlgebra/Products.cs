namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The outer product of two vectors: <c>out[i, j] = a[i]·b[j]</c>, composed as a column times a row with
    /// broadcasting (so dtypes promote as in multiplication and the gradients are those of the product:
    /// ∂L/∂a = G·b, ∂L/∂b = Gᵀ·a).
    /// </summary>
    /// <exception cref="ArgumentException">An operand is not 1-d.</exception>
    public static Tensor Outer(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 1)
        {
            throw new ArgumentException($"outer: Expected 1-D argument self, but got {a.Rank}-D", nameof(a));
        }

        if (b.Rank != 1)
        {
            throw new ArgumentException($"outer: Expected 1-D argument vec2, but got {b.Rank}-D", nameof(b));
        }

        return a.Reshape(-1, 1) * b;
    }

    /// <inheritdoc cref="Outer(Tensor, Tensor)"/>
    public Tensor Outer(Tensor other) => Outer(this, other);

    /// <summary>The matrix product of two matrices (PyTorch's <c>mm</c>: no broadcasting, no vectors), through <see cref="MatMul(Tensor, Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">An operand is not 2-d, or the inner sizes differ.</exception>
    public static Tensor Mm(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2)
        {
            throw new ArgumentException("self must be a matrix", nameof(a));
        }

        if (b.Rank != 2)
        {
            throw new ArgumentException("mat2 must be a matrix", nameof(b));
        }

        return MatMul(a, b);
    }

    /// <inheritdoc cref="Mm(Tensor, Tensor)"/>
    public Tensor Mm(Tensor other) => Mm(this, other);

    /// <summary>The product of a matrix and a vector (PyTorch's <c>mv</c>), through <see cref="MatMul(Tensor, Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The operands are not a matrix and a vector of matching size.</exception>
    public static Tensor Mv(Tensor matrix, Tensor vector)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(vector);
        if (matrix.Rank != 2 || vector.Rank != 1)
        {
            throw new ArgumentException($"vector + matrix @ vector expected, got 1, {matrix.Rank}, {vector.Rank}", nameof(vector));
        }

        if (matrix._shape[1] != vector._shape[0])
        {
            throw new ArgumentException(
                $"size mismatch, got {matrix._shape[0]}, {matrix._shape[0]}x{matrix._shape[1]},{vector._shape[0]}", nameof(vector));
        }

        return MatMul(matrix, vector);
    }

    /// <inheritdoc cref="Mv(Tensor, Tensor)"/>
    public Tensor Mv(Tensor vector) => Mv(this, vector);

    /// <summary>
    /// Batched matrix product of two 3-d tensors, [b, n, m]·[b, m, p] → [b, n, p] (PyTorch's <c>bmm</c>: no
    /// broadcasting), through <see cref="MatMul(Tensor, Tensor)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An operand is not 3-d, or the batch or inner sizes differ.</exception>
    public static Tensor Bmm(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckBatches(a, b);
        return MatMul(a, b);
    }

    /// <inheritdoc cref="Bmm(Tensor, Tensor)"/>
    public Tensor Bmm(Tensor other) => Bmm(this, other);

    /// <summary>
    /// <c>β·input + α·(m1·m2)</c> for matrices m1 [n, m] and m2 [m, p], with <paramref name="input"/> broadcast to
    /// [n, p] (PyTorch's <c>addmm</c>). With β = 0 the input's values are ignored (NaN and ∞ do not propagate) and
    /// its gradient is zero.
    /// </summary>
    /// <exception cref="ArgumentException">m1 or m2 is not a matrix, the inner sizes differ, or input does not broadcast.</exception>
    public static Tensor Addmm(Tensor input, Tensor m1, Tensor m2, double beta = 1, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(m1);
        ArgumentNullException.ThrowIfNull(m2);
        if (m1.Rank != 2)
        {
            throw new ArgumentException($"mat1 must be a matrix, got {m1.Rank}-D tensor", nameof(m1));
        }

        if (m2.Rank != 2)
        {
            throw new ArgumentException($"mat2 must be a matrix, got {m2.Rank}-D tensor", nameof(m2));
        }

        return ScaledSum(input, MatMul(m1, m2), m2, beta, alpha);
    }

    /// <inheritdoc cref="Addmm(Tensor, Tensor, Tensor, double, double)"/>
    public Tensor Addmm(Tensor m1, Tensor m2, double beta = 1, double alpha = 1) => Addmm(this, m1, m2, beta, alpha);

    /// <summary>
    /// <c>β·input + α·(b1·b2)</c> for batches b1 [b, n, m] and b2 [b, m, p], with <paramref name="input"/> broadcast to
    /// [b, n, p] (PyTorch's <c>baddbmm</c>). With β = 0 the input's values are ignored and its gradient is zero.
    /// </summary>
    /// <exception cref="ArgumentException">b1 or b2 is not 3-d, the sizes differ, or input does not broadcast.</exception>
    public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(batch1);
        ArgumentNullException.ThrowIfNull(batch2);
        if (batch1.Rank != 3 || batch2.Rank != 3)
        {
            // PyTorch reads sizes 0..2 of both before its own check, so a 2-d operand fails on dimension 2.
            Autograd.Shape.NormalizeDim(2, Math.Min(batch1.Rank, batch2.Rank));
        }

        CheckBatches(batch1, batch2);
        return ScaledSum(input, MatMul(batch1, batch2), batch2, beta, alpha);
    }

    /// <inheritdoc cref="Baddbmm(Tensor, Tensor, Tensor, double, double)"/>
    public Tensor Baddbmm(Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1) => Baddbmm(this, batch1, batch2, beta, alpha);

    /// <summary>bmm's checks, with PyTorch's messages.</summary>
    private static void CheckBatches(Tensor a, Tensor b)
    {
        if (a.Rank != 3)
        {
            throw new ArgumentException("batch1 must be a 3D tensor", nameof(a));
        }

        if (b.Rank != 3)
        {
            throw new ArgumentException("batch2 must be a 3D tensor", nameof(b));
        }

        if (b._shape[0] != a._shape[0] || b._shape[1] != a._shape[2])
        {
            throw new ArgumentException(
                $"Expected size for first two dimensions of batch2 tensor to be: [{a._shape[0]}, {a._shape[2]}] but got: [{b._shape[0]}, {b._shape[1]}].", nameof(b));
        }
    }

    /// <summary>
    /// β·input + α·product with input expanded to the product's shape (PyTorch's error when it cannot be); β = 0 selects
    /// the product alone through a where whose condition is false, so input gets a zero gradient and its values never
    /// enter.
    /// </summary>
    private static Tensor ScaledSum(Tensor input, Tensor product, Tensor second, double beta, double alpha)
    {
        if (input._dtype != second._dtype)
        {
            throw new InvalidOperationException("self and mat2 must have the same dtype");
        }

        Tensor expanded = input.Expand(product._shape);
        Tensor scaled = alpha == 1 ? product : product * alpha;
        return beta switch
        {
            0 => Where(Zeros([], DType.Bool), expanded, scaled),
            1 => expanded + scaled,
            _ => (expanded * beta) + scaled,
        };
    }
}
