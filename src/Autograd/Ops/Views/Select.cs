namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The slice at <paramref name="index"/> along <paramref name="dim"/>, with that dimension removed: a view sharing
    /// storage (PyTorch's <c>select</c>; <c>x.Select(0, i)</c> is <c>x[i]</c>). Negative dims and indices count from the end.
    /// </summary>
    /// <exception cref="InvalidOperationException">This tensor is 0-d.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension or the index is out of range.</exception>
    public Tensor Select(int dim, int index)
    {
        if (Rank == 0)
        {
            throw new InvalidOperationException("select() cannot be applied to a 0-dim tensor.");
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        int size = _shape[d];
        if (index < -size || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"select(): index {index} out of range for tensor of size {Autograd.Shape.Format(_shape)} at dimension {d}");
        }

        int i = index < 0 ? index + size : index;
        Tensor output = ViewOf(SelectGeometry(ViewGeometry.Storage(this), d, i));
        return GradMode.ShouldRecord(this)
            ? output.WithGradFn(new SelectBackward(this, SelectGeometry(ViewGeometry.Logical(_shape), d, i)))
            : output;
    }

    /// <summary>Select: drop dimension d and start at element i of it.</summary>
    private static ViewGeometry SelectGeometry(in ViewGeometry g, int d, int i) => g.WithoutDim(d, i * g.Strides[d]);
}

/// <summary>
/// <c>out = select(x, d, i)</c>: ∂L/∂x is zero except the slice x[…, i, …] along d, which receives g
/// (a scatter into the slice's window of x's row-major layout).
/// </summary>
internal sealed class SelectBackward(Tensor x, ViewGeometry logical) : StridedViewBackward(x, logical);
