using System.Runtime.CompilerServices;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's basic indexing, returning a view that shares storage and is recorded for autograd:
    /// <c>x[.., 1..3]</c>, <c>x[^1, ..]</c>, <c>x[1, TensorIndex.Slice(null, null, 2)]</c>,
    /// <c>x[TensorIndex.Ellipsis, 0]</c>, <c>x[TensorIndex.NewAxis]</c>. Integers select (and remove) a dimension,
    /// slices and ranges keep a clamped strided range of it, <see cref="TensorIndex.NewAxis"/> inserts a size-1
    /// dimension and <see cref="TensorIndex.Ellipsis"/> stands for the dimensions not otherwise indexed. Dimensions
    /// left over at the end are kept whole.
    /// </summary>
    /// <remarks>
    /// When every entry is an <see cref="int"/>, C# picks the element indexer, which returns a <see cref="float"/>; cast
    /// one entry (<c>x[(TensorIndex)0]</c>) or add <c>..</c> (<c>x[0, ..]</c>) for a view. Setting copies the value,
    /// broadcast to the view's shape, into the viewed storage (PyTorch's <c>x[...] = v</c>): every view of the storage
    /// sees the change, and the version counter they share is bumped. While grad mode is on, the in-place rules apply:
    /// writing into a view of a leaf that requires grad is refused, as in PyTorch.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Too many indices, or an integer index out of range.</exception>
    [IndexerName("Element")]
    public Tensor this[params ReadOnlySpan<TensorIndex> indices]
    {
        get => ApplyIndices(indices);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ApplyIndices(indices).CopyFrom(value);
        }
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/> (PyTorch accepts Python numbers where tensors are expected).</summary>
    public static implicit operator Tensor(float value) => Scalar(value);

    /// <summary>Applies basic indices by composing <see cref="Select"/>, <see cref="Slice"/> and <see cref="Unsqueeze"/>.</summary>
    private Tensor ApplyIndices(ReadOnlySpan<TensorIndex> indices)
    {
        int consumed = 0, ellipses = 0;
        foreach (TensorIndex index in indices)
        {
            if (index.Kind is TensorIndexKind.Select or TensorIndexKind.Slice)
            {
                consumed++;
            }
            else if (index.Kind == TensorIndexKind.Ellipsis)
            {
                ellipses++;
            }
        }

        if (ellipses > 1)
        {
            // NumPy's rule and message (PyTorch 1.13 accepts several and treats them as one).
            throw new ArgumentException("an index can only have a single ellipsis ('...')", nameof(indices));
        }

        if (consumed > Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(indices), $"too many indices for tensor of dimension {Rank}");
        }

        // dim walks the result being built; realDim the dimensions of this tensor, which errors name (as PyTorch's do).
        Tensor result = this;
        int dim = 0, realDim = 0;
        foreach (TensorIndex index in indices)
        {
            switch (index.Kind)
            {
                case TensorIndexKind.Select:
                    int size = result._shape[dim];
                    int i = index.Resolve(size);
                    if ((uint)i >= (uint)size)
                    {
                        throw new ArgumentOutOfRangeException(nameof(indices), $"index {(index.WrittenIndex == 0 ? i : index.WrittenIndex)} is out of bounds for dimension {realDim} with size {size}");
                    }

                    result = result.Select(dim, i);
                    realDim++;
                    break;
                case TensorIndexKind.Slice:
                    // A slice over the whole dimension is skipped, as PyTorch does (x[0, :] is SelectBackward's alone).
                    int length = result._shape[dim];
                    if (index.SliceStep != 1 || ClampSliceBound(index.SliceStart ?? 0, length) != 0 || ClampSliceBound(index.SliceEnd ?? length, length) != length)
                    {
                        result = result.Slice(dim, index.SliceStart, index.SliceEnd, index.SliceStep);
                    }

                    dim++;
                    realDim++;
                    break;
                case TensorIndexKind.NewAxis:
                    result = result.Unsqueeze(dim);
                    dim++;
                    break;
                default:
                    dim += Rank - consumed;
                    realDim += Rank - consumed;
                    break;
            }
        }

        // x[] and x[...] are still views (aliases), never the tensor itself, as in PyTorch.
        return ReferenceEquals(result, this) ? View(_shape) : result;
    }
}
