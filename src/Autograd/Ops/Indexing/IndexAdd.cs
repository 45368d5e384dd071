namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Out-of-place <c>index_add</c> (PyTorch's <c>torch.index_add</c>): a copy of this tensor with
    /// <c>alpha · source[…, k, …]</c> added to slice <c>index[k]</c> along <paramref name="dim"/>; repeated indices add up.
    /// </summary>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <param name="index">A 0-d or 1-d int64 or int32 tensor of indices in <c>[0, size)</c> (no wrapping, as in PyTorch).</param>
    /// <param name="source">Same dtype and shape as this tensor except along <paramref name="dim"/>, where it has <c>index.Count</c> entries.</param>
    /// <param name="alpha">The scale of <paramref name="source"/>.</param>
    /// <returns>A new tensor of this tensor's shape.</returns>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        if (index._dtype is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException("index_add_(): Expected dtype int32/int64 for index", nameof(index));
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        if (index.Rank > 1)
        {
            throw new ArgumentException($"index_add_(): Index is supposed to be a vector, but got dim: {index.Rank} with type: {index._dtype.ScalarTypeName()} and size: {index.Shape}", nameof(index));
        }

        if (source._dtype != _dtype)
        {
            throw new ArgumentException($"index_add_(): self ({_dtype.ScalarTypeName()}) and source ({source._dtype.ScalarTypeName()}) must have the same scalar type", nameof(source));
        }

        int n = index._count;
        int sourceSize = source.Rank == 0 ? 1 : source._shape[Math.Min(d, source.Rank - 1)];
        if (n != sourceSize)
        {
            throw new ArgumentException($"index_add_(): Number of indices ({n}) should be equal to source.size(dim): ({sourceSize}), for dim: {d}", nameof(index));
        }

        int size = Rank == 0 ? 1 : _shape[d];
        if (Rank > 0)
        {
            if (source.Rank != Rank)
            {
                throw new ArgumentException($"index_add_(): source ({Autograd.Shape.Format(source._shape)}) must have the dimensions of self ({Autograd.Shape.Format(_shape)})", nameof(source));
            }

            for (int k = 0; k < Rank; k++)
            {
                if (k != d && source._shape[k] != _shape[k])
                {
                    // PyTorch compares slices (dim removed), so it names the dimension within the slice.
                    throw new ArgumentException($"The size of tensor a ({_shape[k]}) must match the size of tensor b ({source._shape[k]}) at non-singleton dimension {(k < d ? k : k - 1)}", nameof(source));
                }
            }
        }

        long[] values = index.ToArray<long>();
        if (Kernels.Indexing.FindInvalid(values, size, wrap: false) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "index out of range in self");
        }

        Tensor output = IndexingCommon.FreshCopy(this);
        int outer = Rank == 0 ? 1 : IndexingCommon.Product(_shape, 0, d), inner = Rank == 0 ? 1 : IndexingCommon.Product(_shape, d + 1, Rank);
        int[] to = Kernels.Indexing.SelectAlong(outer, size, inner, values, [size * inner, inner, 1], 0);
        int[] from = Kernels.Indexing.StridedOffsets(source._shape, Joining.StridesOf(source), source._offset);
        Kernels.Indexing.Put(output.Storage, to, source.Storage, from, accumulate: true, alpha);
        return GradMode.ShouldRecord(this) || GradMode.ShouldRecord(source)
            ? output.WithGradFn(new IndexAddBackward(this, d, index, source, alpha))
            : output;
    }
}

/// <summary>
/// <c>out = x.index_add(dim, index, s, α)</c>: out = x + α·(s's slices added at index), so ∂L/∂x = g and
/// ∂L/∂s = α · g.index_select(dim, index) (each source slice k went to slice index[k]). Saves the index.
/// </summary>
internal sealed class IndexAddBackward(Tensor x, int dim, Tensor index, Tensor source, double alpha) : Node(x, source)
{
    private SavedTensor _index = source.RequiresGrad ? index : null;

    protected override void ReleaseSaved() => _index = default;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor? sourceGrad = null;
        if (NeedsInputGrad(1))
        {
            Tensor selected = grad.IndexSelect(dim, Saved(_index));
            sourceGrad = alpha == 1 ? selected : selected * alpha;
        }

        return [NeedsInputGrad(0) ? grad : null, sourceGrad];
    }
}
