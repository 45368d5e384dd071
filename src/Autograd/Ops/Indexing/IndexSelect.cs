namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The slices of this tensor at <paramref name="index"/> along <paramref name="dim"/> (PyTorch's
    /// <c>index_select</c>): <c>out[…, k, …] = x[…, index[k], …]</c>. A copy; any dtype.
    /// </summary>
    /// <param name="dim">The dimension to select along; negative counts from the end.</param>
    /// <param name="index">A 0-d or 1-d int64 or int32 tensor of indices in <c>[0, size)</c> (no wrapping, as in PyTorch); repeats allowed.</param>
    /// <returns>A new tensor whose <paramref name="dim"/> has <c>index.Count</c> entries.</returns>
    /// <exception cref="ArgumentException">The index is not an integer vector.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index._dtype is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException("index_select(): Expected dtype int32 or int64 for index", nameof(index));
        }

        if (index.Rank > 1)
        {
            throw new ArgumentException("index_select(): Index is supposed to be a vector", nameof(index));
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        long[] values = index.ToArray<long>();
        int size = Rank == 0 ? 1 : _shape[d];
        int bad = Kernels.Indexing.FindInvalid(values, size, wrap: false);
        if (bad >= 0)
        {
            // PyTorch 1.13's CPU kernels: dim 0 has its own loop and message, the others go through a generic one.
            throw new ArgumentOutOfRangeException(nameof(index), d == 0 ? "index out of range in self" : $"INDICES element is out of DATA bounds, id={values[bad]} axis_dim={size}");
        }

        int[] shape = Rank == 0 ? Autograd.Shape.ScalarDims : (int[])_shape.Clone();
        if (Rank > 0)
        {
            shape[d] = values.Length;
        }

        if (Rank == 0)
        {
            // PyTorch returns the one element, whatever the number of (valid) indices: x.index_select(0, [0, 0]) is x.
            values = [0];
        }

        Tensor source = IsContiguous ? this : ContiguousCopyOfAnyDType();
        int outer = Rank == 0 ? 1 : IndexingCommon.Product(_shape, 0, d), inner = Rank == 0 ? 1 : IndexingCommon.Product(_shape, d + 1, Rank);
        int[] offsets = Kernels.Indexing.SelectAlong(outer, size, inner, values, [size * inner, inner, 1], source._offset);
        Array storage = _dtype.NewArray(Autograd.Shape.ElementCountOf(shape));
        Kernels.Indexing.Gather(source.Storage, offsets, storage, 0);
        Tensor output = IndexingCommon.Wrap(storage, _dtype, shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new IndexSelectBackward(this, d, index)) : output;
    }
}

/// <summary>
/// <c>out = index_select(x, dim, index)</c>: each output slice k is x's slice index[k], so ∂L/∂x adds g's slice k into
/// slice index[k] (repeated indices accumulate): ∂L/∂x = zeros_like(x).index_add(dim, index, g). Saves the index
/// (a later in-place change of it fails backward, as in PyTorch).
/// </summary>
internal sealed class IndexSelectBackward(Tensor x, int dim, Tensor index) : Node(x)
{
    private readonly int[] _shape = x._shape;
    private readonly DType _dtype = x._dtype;
    private SavedTensor _index = index;

    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.Zeros(_shape, _dtype).IndexAdd(dim, Saved(_index), grad)];

    protected override void ReleaseSaved() => _index = default;
}
