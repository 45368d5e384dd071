using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The indices of the nonzero elements (PyTorch's <c>torch.nonzero</c>): an int64 tensor of shape
    /// <c>[n, rank]</c>, one row per nonzero element in row-major order (a 0-d tensor gives <c>[1, 0]</c> or
    /// <c>[0, 0]</c>). Any dtype in; NaN is nonzero. Not differentiable.
    /// </summary>
    public Tensor NonZero()
    {
        ReadOnlySpan<bool> truth = Operands.Truth(this, _shape);
        int n = Logical.Count(truth);
        var indices = new long[n * Rank];
        Logical.Indices(truth, _shape, indices);
        return new Tensor(indices, DType.Int64, [n, Rank]);
    }
}
