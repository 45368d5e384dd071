namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Reverses the order of the elements along each of <paramref name="dims"/> (PyTorch's <c>flip</c>):
    /// <c>out[…, i, …] = x[…, n − 1 − i, …]</c> on every flipped dimension.
    /// </summary>
    /// <param name="dims">The dimensions to reverse, each at most once; negative values count from the end.</param>
    /// <returns>A new contiguous tensor.</returns>
    public Tensor Flip(params ReadOnlySpan<int> dims)
    {
        int[] wrapped = new int[dims.Length];
        bool[] flipped = new bool[Math.Max(Rank, 1)];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = Autograd.Shape.NormalizeDim(dims[i], Rank);
            if (flipped[d])
            {
                throw new ArgumentException($"dim {d} appears multiple times in the list of dims", nameof(dims));
            }

            flipped[d] = true;
            wrapped[i] = d;
        }

        // Read the source backwards on the flipped dimensions: start at its last element there, with negated strides.
        int[] strides = Joining.StridesOf(this);
        int offset = _offset;
        for (int d = 0; d < Rank; d++)
        {
            if (flipped[d] && _shape[d] > 0)
            {
                offset += (_shape[d] - 1) * strides[d];
                strides[d] = -strides[d];
            }
        }

        Array data = Joining.Allocate(_dtype, _count);
        Joining.Copy(Storage, offset, strides, data, 0, Autograd.Shape.ContiguousStrides(_shape), _shape);
        Tensor output = Joining.Wrap(data, _dtype, _shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new FlipBackward(this, wrapped)) : output;
    }
}

/// <summary><c>out = flip(x, dims)</c>, a permutation of the elements that is its own inverse: ∂L/∂x = flip(g, dims). Nothing is saved.</summary>
internal sealed class FlipBackward(Tensor x, int[] dims) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Flip(dims)];
}
