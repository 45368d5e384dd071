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
    /// left over at the end are kept whole. Tensor entries make it PyTorch's advanced indexing, which returns a copy
    /// (recorded, <c>IndexBackward</c>): an int64 tensor picks entries of its dimension (negative ones count from the
    /// end), a bool mask picks the true positions of as many dimensions as it has; several index tensors broadcast
    /// together, and their broadcast shape replaces the indexed dimensions when these are adjacent, or comes first
    /// when a slice separates them (<c>x[i, .., j]</c>). Integer and slice entries apply first, as in PyTorch.
    /// </summary>
    /// <remarks>
    /// When every entry is an <see cref="int"/>, C# picks the element indexer, which returns a <see cref="float"/>; cast
    /// one entry (<c>x[(TensorIndex)0]</c>) or add <c>..</c> (<c>x[0, ..]</c>) for a view. Setting copies the value,
    /// broadcast to the view's shape, into the viewed storage (PyTorch's <c>x[...] = v</c>): every view of the storage
    /// sees the change, and the version counter they share is bumped. While grad mode is on, the in-place rules apply:
    /// writing into a view of a leaf that requires grad is refused, as in PyTorch. With tensor entries, setting is
    /// PyTorch's <c>index_put_</c> into the storage (the value is converted to this tensor's dtype and broadcast to
    /// the indexing result; where an index repeats, the last write wins); every index is checked before anything is written.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Too many indices, or an integer or tensor index out of range.</exception>
    /// <exception cref="ArgumentException">An index tensor that is neither int64 nor bool, index tensors that do not broadcast, or a mask of the wrong shape.</exception>
    [IndexerName("Element")]
    public Tensor this[params ReadOnlySpan<TensorIndex> indices]
    {
        get
        {
            if (AsSingleInteger(indices) is { } select)
            {
                return ApplyIndices([select]);
            }

            if (!HasTensorIndex(indices))
            {
                return ApplyIndices(indices);
            }

            // Basic entries first (a view), then the gather of the tensor entries (a recorded copy), as PyTorch does.
            (TensorIndex[] basic, Tensor?[] advanced) = SplitAdvanced(indices);
            return ApplyIndices(basic, alias: false).Index(advanced);
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (AsSingleInteger(indices) is { } select)
            {
                ApplyIndices([select]).CopyFrom(value);
                return;
            }

            if (!HasTensorIndex(indices))
            {
                ApplyIndices(indices).CopyFrom(value);
                return;
            }

            // PyTorch's x[idx] = v with tensor entries: index_put_ into the view the basic entries select. Every
            // index is validated before the in-place checks and the write, so an error leaves x untouched.
            (TensorIndex[] basic, Tensor?[] advanced) = SplitAdvanced(indices);
            Tensor target = ApplyIndices(basic, alias: false);
            target.InPlace(
                value,
                savesSelf: false,
                current => current.IndexPut(advanced, value.To(current._dtype)),
                () => AdvancedIndex.Put(target, advanced, value.ConvertedTo(target._dtype), accumulate: false));
        }
    }

    /// <summary>
    /// PyTorch's shortcut for a lone 0-d int64 tensor index, <c>x[torch.tensor(1)]</c>: it selects, as the integer
    /// would (a view), instead of gathering. With other entries such a tensor is an advanced index (which for a 0-d
    /// tensor gives the same values).
    /// </summary>
    private static TensorIndex? AsSingleInteger(ReadOnlySpan<TensorIndex> indices)
    {
        if (indices.Length != 1 || indices[0].IndexTensor is not { Rank: 0, DType: DType.Int64 } scalar)
        {
            return null;
        }

        long value = scalar.Item<long>();
        return value is >= int.MinValue and <= int.MaxValue ? TensorIndex.At((int)value) : TensorIndex.At(value < 0 ? int.MinValue : int.MaxValue);
    }

    private static bool HasTensorIndex(ReadOnlySpan<TensorIndex> indices)
    {
        foreach (TensorIndex index in indices)
        {
            if (index.Kind == TensorIndexKind.Tensor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Splits an index with tensor entries into basic entries (each tensor replaced by whole slices of the dimensions
    /// it indexes; a 0-d bool by a new axis) and the advanced entries for <see cref="Index"/>: one per dimension of
    /// the basic result, null where no tensor indexes it, a mask covering as many dimensions as it has.
    /// </summary>
    private (TensorIndex[] Basic, Tensor?[] Advanced) SplitAdvanced(ReadOnlySpan<TensorIndex> indices)
    {
        var basic = new List<TensorIndex>(indices.Length);
        var tensors = new List<(int Entry, Tensor Index, int Span)>();
        foreach (TensorIndex index in indices)
        {
            if (index.Kind != TensorIndexKind.Tensor)
            {
                basic.Add(index);
                continue;
            }

            Tensor t = index.IndexTensor!;
            if (t._dtype == DType.Bool && t.Rank == 0)
            {
                // x[True] adds a dimension of size 1 and keeps it, x[False] keeps none of it: a new axis indexed by [0] or [].
                tensors.Add((basic.Count, t.ItemBool() ? From([0L]) : From(ReadOnlySpan<long>.Empty), 1));
                basic.Add(TensorIndex.NewAxis);
                continue;
            }

            int span = t._dtype == DType.Bool ? t.Rank : 1;
            tensors.Add((basic.Count, t, span));
            for (int k = 0; k < span; k++)
            {
                basic.Add(TensorIndex.Slice());
            }
        }

        // Where each basic entry lands in the result: selects remove a dimension, an ellipsis stands for the rest.
        int consumed = 0;
        foreach (TensorIndex index in basic)
        {
            consumed += index.Kind is TensorIndexKind.Select or TensorIndexKind.Slice ? 1 : 0;
        }

        var position = new int[basic.Count];
        int dim = 0;
        for (int i = 0; i < basic.Count; i++)
        {
            position[i] = dim;
            dim += basic[i].Kind switch
            {
                TensorIndexKind.Select => 0,
                TensorIndexKind.Ellipsis => Math.Max(Rank - consumed, 0),
                _ => 1,
            };
        }

        var advanced = new List<Tensor?>();
        int covered = 0;
        foreach ((int entry, Tensor t, int span) in tensors)
        {
            while (covered < position[entry])
            {
                advanced.Add(null);
                covered++;
            }

            advanced.Add(t);
            covered += span;
        }

        return ([.. basic], [.. advanced]);
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/> (PyTorch accepts Python numbers where tensors are expected).</summary>
    public static implicit operator Tensor(float value) => Scalar(value);

    /// <summary>
    /// Applies basic indices by composing <see cref="Select"/>, <see cref="Slice"/> and <see cref="Unsqueeze"/>. With
    /// <paramref name="alias"/> off, an index that changes nothing returns this tensor itself instead of an alias view.
    /// </summary>
    private Tensor ApplyIndices(ReadOnlySpan<TensorIndex> indices, bool alias = true)
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
        return ReferenceEquals(result, this) && alias ? View(_shape) : result;
    }
}
