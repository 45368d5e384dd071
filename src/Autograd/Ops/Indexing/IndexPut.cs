namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Out-of-place <c>index_put</c> (PyTorch's <c>torch.index_put</c>): a copy of this tensor with
    /// <c>out[indices] = values</c>, or <c>out[indices] += values</c> when <paramref name="accumulate"/> (then repeated
    /// indices add up; without it, the last write wins). <paramref name="indices"/> index the leading dimensions
    /// as in <c>x[i₀, i₁, …]</c>: int64 tensors (broadcast together; negative entries count from the end), bool
    /// masks (each standing for the indices of its true elements over as many dimensions as it has), or null for a
    /// whole dimension.
    /// </summary>
    /// <param name="indices">The index tensors, one per indexed dimension (a mask covers several).</param>
    /// <param name="values">Values of this tensor's dtype, broadcastable to the shape of <c>x[indices]</c>.</param>
    /// <param name="accumulate">Add instead of overwrite.</param>
    /// <returns>A new tensor of this tensor's shape.</returns>
    public Tensor IndexPut(IReadOnlyList<Tensor?> indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        if (values._dtype != _dtype)
        {
            throw new ArgumentException(
                $"Index put requires the source and destination dtypes match, got {_dtype.ScalarTypeName()} for the destination and {values._dtype.ScalarTypeName()} for the source.", nameof(values));
        }

        Tensor?[] list = [.. indices];
        Tensor output = IndexingCommon.FreshCopy(this);
        AdvancedIndex.Put(output, list, values, accumulate);
        return GradMode.ShouldRecord(this) || GradMode.ShouldRecord(values)
            ? output.WithGradFn(new IndexPutBackward(this, list, values, accumulate))
            : output;
    }
}

/// <summary>
/// <c>out = x.index_put(indices, v, accumulate)</c>. With accumulate, out = x + (v added at indices), so ∂L/∂x = g;
/// without, the indexed positions are overwritten, so ∂L/∂x = g with them zeroed = g.index_put(indices, 0).
/// v (broadcast to the indexing result) lands at indices, so ∂L/∂v = g[indices], which the engine sums back to v's
/// shape. Saves the index tensors.
/// </summary>
internal sealed class IndexPutBackward(Tensor x, Tensor?[] indices, Tensor values, bool accumulate) : Node(x, values)
{
    private readonly DType _dtype = x._dtype;
    private SavedTensor[]? _indices = [.. indices.Select(i => (SavedTensor)i)];

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor?[] indices = IndexBackward.Restore(_indices);
        return
        [
            NeedsInputGrad(0) ? (accumulate ? grad : grad.IndexPut(indices, Tensor.Scalar(0, _dtype))) : null,
            NeedsInputGrad(1) ? grad.Index(indices) : null,
        ];
    }

    protected override void ReleaseSaved() => _indices = null;
}
