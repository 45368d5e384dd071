namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Picks values along <paramref name="dim"/> by <paramref name="index"/> (PyTorch's <c>gather</c>):
    /// <c>out[i][j][k] = x[index[i][j][k]][j][k]</c> for dim 0, and likewise for the other dims. A copy; any dtype.
    /// </summary>
    /// <param name="dim">The dimension to gather along; negative counts from the end.</param>
    /// <param name="index">An int64 tensor of this tensor's rank, no larger than it apart from <paramref name="dim"/>; entries in <c>[0, size)</c> (no wrapping, as in PyTorch).</param>
    /// <returns>A new tensor of the index's shape.</returns>
    public Tensor Gather(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index._dtype != DType.Int64)
        {
            throw new ArgumentException("gather(): Expected dtype int64 for index", nameof(index));
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        IndexingCommon.CheckSameRank(this, index, "input");
        for (int k = 0; k < index.Rank && Rank > 0; k++)
        {
            if (k != d && index._shape[k] > _shape[k])
            {
                throw new ArgumentException($"Size does not match at dimension {k} expected index {index.Shape} to be smaller than self {Shape} apart from dimension {d}", nameof(index));
            }
        }

        long[] values = index.ToArray<long>();
        IndexingCommon.CheckBounds(values, Rank == 0 ? 1 : _shape[d], d, wrap: false, nameof(index));
        int[] strides = Rank == 0 ? [0] : Joining.StridesOf(this);
        int[] indexShape = index.Rank == 0 ? [1] : index._shape;
        int[] offsets = Kernels.Indexing.AlongDim(values, indexShape, index.Rank == 0 ? 0 : d, strides, _offset);
        Array storage = _dtype.NewArray(index._count);
        Kernels.Indexing.Gather(Storage, offsets, storage, 0);
        Tensor output = IndexingCommon.Wrap(storage, _dtype, index._shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new GatherBackward(this, d, index)) : output;
    }
}

/// <summary>
/// <c>out = gather(x, dim, index)</c>: out[c] = x[c with c_dim = index[c]], so each g[c] flows to that element and
/// repeated indices add: ∂L/∂x = zeros_like(x).scatter_add(dim, index, g). Saves the index.
/// </summary>
internal sealed class GatherBackward(Tensor x, int dim, Tensor index) : Node(x)
{
    private readonly int[] _shape = x._shape;
    private readonly DType _dtype = x._dtype;
    private SavedTensor _index = index;

    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.Zeros(_shape, _dtype).ScatterAdd(dim, Saved(_index), grad)];

    protected override void ReleaseSaved() => _index = default;
}
