namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The diagonal of the matrices formed by <paramref name="dim1"/> and <paramref name="dim2"/>, as a last dimension:
    /// <c>out[…, k] = x[…, k, …, k + offset, …]</c> for offset ≥ 0 (<c>x[…, k − offset, …, k, …]</c> below), with both
    /// dimensions removed. A view sharing storage (PyTorch's <c>diagonal</c>).
    /// </summary>
    /// <param name="offset">0 for the main diagonal, positive above it, negative below.</param>
    /// <param name="dim1">The first dimension of the matrices (rows).</param>
    /// <param name="dim2">The second dimension of the matrices (columns).</param>
    /// <exception cref="ArgumentException">The two dimensions are the same.</exception>
    public Tensor Diagonal(int offset = 0, int dim1 = 0, int dim2 = 1)
    {
        int d1 = Autograd.Shape.NormalizeDim(dim1, Rank), d2 = Autograd.Shape.NormalizeDim(dim2, Rank);
        if (d1 == d2)
        {
            throw new ArgumentException($"diagonal dimensions cannot be identical {dim1}, {dim2}", nameof(dim2));
        }

        Tensor output = ViewOf(DiagonalGeometry(ViewGeometry.Storage(this), offset, d1, d2));
        return GradMode.ShouldRecord(this)
            ? output.WithGradFn(new DiagonalBackward(this, DiagonalGeometry(ViewGeometry.Logical(_shape), offset, d1, d2)))
            : output;
    }

    /// <summary>
    /// Diagonal: stepping k moves one along both dimensions, so the new last dimension has stride s₁ + s₂; it starts at
    /// column <c>offset</c> (or row <c>−offset</c>) and has as many elements as fit in both dimensions.
    /// </summary>
    private static ViewGeometry DiagonalGeometry(in ViewGeometry g, int offset, int d1, int d2)
    {
        int size1 = g.Shape[d1], size2 = g.Shape[d2], stride1 = g.Strides[d1], stride2 = g.Strides[d2];
        long size = offset >= 0 ? Math.Min(size1, (long)size2 - offset) : Math.Min((long)size1 + offset, size2);
        int diagonalSize = (int)Math.Max(size, 0);
        int delta = diagonalSize == 0 ? 0 : offset >= 0 ? offset * stride2 : -offset * stride1;

        var shape = new List<int>(g.Shape.Length - 1);
        var strides = new List<int>(g.Shape.Length - 1);
        for (int i = 0; i < g.Shape.Length; i++)
        {
            if (i != d1 && i != d2)
            {
                shape.Add(g.Shape[i]);
                strides.Add(g.Strides[i]);
            }
        }

        shape.Add(diagonalSize);
        strides.Add(stride1 + stride2);
        return new ViewGeometry([.. shape], [.. strides], g.Offset + delta);
    }
}

/// <summary>
/// <c>out[…, k] = x[…, k, …, k + offset, …]</c>: ∂L/∂x is zero off the diagonal and g on it (a scatter into the
/// diagonal's window of x's row-major layout).
/// </summary>
internal sealed class DiagonalBackward(Tensor x, ViewGeometry logical) : StridedViewBackward(x, logical);
