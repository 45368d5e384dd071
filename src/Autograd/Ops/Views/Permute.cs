namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The dimensions reordered: dimension i of the result is dimension <c>dims[i]</c> of this tensor. A view sharing
    /// storage (PyTorch's <c>permute</c>). Negative dims count from the end.
    /// </summary>
    /// <exception cref="ArgumentException">The number of dims is not the rank, or a dim repeats.</exception>
    public Tensor Permute(params ReadOnlySpan<int> dims)
    {
        if (dims.Length != Rank)
        {
            throw new ArgumentException(
                $"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Rank} is not equal to len(dims) = {dims.Length}", nameof(dims));
        }

        int[] order = new int[Rank];
        int[] inverse = new int[Rank];
        inverse.AsSpan().Fill(-1);
        for (int i = 0; i < Rank; i++)
        {
            int d = Autograd.Shape.NormalizeDim(dims[i], Rank);
            if (inverse[d] >= 0)
            {
                throw new ArgumentException("permute(): duplicate dims are not allowed.", nameof(dims));
            }

            order[i] = d;
            inverse[d] = i;
        }

        ViewGeometry storage = ViewGeometry.Storage(this);
        int[] shape = new int[Rank], strides = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            shape[i] = _shape[order[i]];
            strides[i] = storage.Strides[order[i]];
        }

        Tensor output = ViewOf(new ViewGeometry(shape, strides, _offset));
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new PermuteBackward(this, inverse)) : output;
    }

    /// <summary>
    /// The transpose of the last two dimensions, a view (PyTorch's <c>mT</c>): a batch of matrices stays a batch.
    /// </summary>
    /// <exception cref="InvalidOperationException">This tensor has fewer than two dimensions.</exception>
    public Tensor MT => Rank >= 2
        ? Transpose(-2, -1)
        : throw new InvalidOperationException($"tensor.mT is only supported on matrices or batches of matrices. Got {Rank}-D tensor.");
}

/// <summary>
/// <c>out = permute(x, p)</c>, out[i₀, …] = x[i_{p⁻¹(0)}, …]: ∂L/∂x = permute(g, p⁻¹), the inverse permutation.
/// </summary>
internal sealed class PermuteBackward(Tensor x, int[] inverse) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Permute(inverse)];
}
