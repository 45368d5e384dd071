namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>A view with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped (shares storage).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int d0 = Autograd.Shape.NormalizeDim(dim0, Rank), d1 = Autograd.Shape.NormalizeDim(dim1, Rank);
        if (d0 == d1 || Rank < 2)
        {
            return this;
        }

        int[] shape = (int[])_shape.Clone();
        int[] strides = _strides is null ? Autograd.Shape.ContiguousStrides(_shape) : (int[])_strides.Clone();
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        (strides[d0], strides[d1]) = (strides[d1], strides[d0]);
        Tensor output = ViewOf(new ViewGeometry(shape, strides, _offset));
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new TransposeBackward(this, d0, d1)) : output;
    }

    /// <summary>The transpose of a matrix (a view); tensors of rank below 2 are returned as they are.</summary>
    public Tensor T => Rank switch
    {
        < 2 => this,
        2 => Transpose(0, 1),
        _ => throw new InvalidOperationException($"T expects a tensor of rank at most 2, got rank {Rank}; use Transpose(dim0, dim1)."),
    };
}

/// <summary><c>out = transpose(x, d0, d1)</c>: ∂L/∂x = transpose(g, d0, d1).</summary>
internal sealed class TransposeBackward(Tensor x, int dim0, int dim1) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Transpose(dim0, dim1)];
}
