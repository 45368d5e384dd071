namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Out-of-place <c>scatter</c> (PyTorch's <c>torch.scatter</c>): a copy of this tensor with
    /// <c>out[c with c_dim = index[c]] = src[c]</c> for every position c of <paramref name="index"/>. Where an index
    /// repeats, the last write wins (PyTorch leaves that order unspecified).
    /// </summary>
    /// <param name="dim">The dimension to scatter along; negative counts from the end.</param>
    /// <param name="index">An int64 tensor of this tensor's rank, no larger than <paramref name="src"/>, nor than this tensor apart from <paramref name="dim"/>.</param>
    /// <param name="src">The values, of this tensor's dtype.</param>
    /// <returns>A new tensor of this tensor's shape.</returns>
    public Tensor Scatter(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        Tensor output = ScatterCore(dim, index, src, 0, accumulate: false, out int d);
        return GradMode.ShouldRecord(this) || GradMode.ShouldRecord(src)
            ? output.WithGradFn(new ScatterBackward(this, d, index, src))
            : output;
    }

    /// <summary>Out-of-place <c>scatter</c> of one value: a copy of this tensor with <c>out[c with c_dim = index[c]] = value</c>.</summary>
    /// <param name="dim">The dimension to scatter along; negative counts from the end.</param>
    /// <param name="index">An int64 tensor of this tensor's rank, no larger than it apart from <paramref name="dim"/>.</param>
    /// <param name="value">The value written (converted to this tensor's dtype).</param>
    /// <returns>A new tensor of this tensor's shape.</returns>
    public Tensor Scatter(int dim, Tensor index, double value)
    {
        Tensor output = ScatterCore(dim, index, null, value, accumulate: false, out int d);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new ScatterBackward(this, d, index, null)) : output;
    }

    /// <inheritdoc cref="Scatter(int, Tensor, double)"/>
    /// <remarks>
    /// This overload exists so that an integer or float literal (<c>x.Scatter(0, index, 0)</c>) is not ambiguous between
    /// the tensor overload (through the implicit float-to-tensor conversion) and the double one.
    /// </remarks>
    public Tensor Scatter(int dim, Tensor index, float value) => Scatter(dim, index, (double)value);

    /// <summary>
    /// Out-of-place <c>scatter_add</c> (PyTorch's <c>torch.scatter_add</c>): a copy of this tensor with
    /// <c>src[c]</c> added at <c>[c with c_dim = index[c]]</c> for every position c of <paramref name="index"/>; repeats add up.
    /// </summary>
    /// <inheritdoc cref="Scatter(int, Tensor, Tensor)"/>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        Tensor output = ScatterCore(dim, index, src, 0, accumulate: true, out int d);
        return GradMode.ShouldRecord(this) || GradMode.ShouldRecord(src)
            ? output.WithGradFn(new ScatterAddBackward(this, d, index, src))
            : output;
    }

    private Tensor ScatterCore(int dim, Tensor index, Tensor? src, double value, bool accumulate, out int d)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index._dtype != DType.Int64)
        {
            throw new ArgumentException("scatter(): Expected dtype int64 for index", nameof(index));
        }

        if (src is not null && src._dtype != _dtype)
        {
            throw new ArgumentException("scatter(): Expected self.dtype to be equal to src.dtype", nameof(src));
        }

        d = Autograd.Shape.NormalizeDim(dim, Rank);
        IndexingCommon.CheckSameRank(this, index, "self");
        if (src is not null && index._count > 0)
        {
            IndexingCommon.CheckSameRank(src, index, "src");
        }

        for (int k = 0; k < index.Rank && Rank > 0 && index._count > 0; k++)
        {
            if ((k != d && index._shape[k] > _shape[k]) || (src is not null && index._shape[k] > src._shape[k]))
            {
                throw new ArgumentException(
                    $"Expected index {index.Shape} to be smaller than self {Shape} apart from dimension {d}" + (src is null ? string.Empty : $" and to be smaller size than src {src.Shape}"),
                    nameof(index));
            }
        }

        long[] values = index.ToArray<long>();
        IndexingCommon.CheckBounds(values, Rank == 0 ? 1 : _shape[d], d, wrap: false, nameof(index));
        Tensor output = IndexingCommon.FreshCopy(this);
        int[] indexShape = index.Rank == 0 ? [1] : index._shape;
        int[] to = Kernels.Indexing.AlongDim(values, indexShape, index.Rank == 0 ? 0 : d, Rank == 0 ? [0] : Autograd.Shape.ContiguousStrides(_shape), 0);
        if (src is not null)
        {
            int[] from = Kernels.Indexing.StridedOffsets(indexShape, src.Rank == 0 ? [0] : Joining.StridesOf(src), src._offset);
            Kernels.Indexing.Put(output.Storage, to, src.Storage, from, accumulate);
        }
        else
        {
            Array one = _dtype.NewArray(1);
            Kernels.Conversion.Write(one, 0, value);
            Kernels.Indexing.Put(output.Storage, to, one, new int[to.Length], accumulate);
        }

        return output;
    }
}

/// <summary>
/// <c>out = x.scatter(dim, index, src)</c> (or a value): the scattered positions are overwritten, so
/// ∂L/∂x = g with those positions zeroed = g.scatter(dim, index, 0), and src[c] landed at [c with c_dim = index[c]],
/// so ∂L/∂src = g.gather(dim, index). Saves the index.
/// </summary>
internal sealed class ScatterBackward(Tensor x, int dim, Tensor index, Tensor? src) : Node(src is null ? new[] { x } : new[] { x, src })
{
    private SavedTensor _index = index;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor index = Saved(_index);
        Tensor? xGrad = NeedsInputGrad(0) ? grad.Scatter(dim, index, 0.0) : null;
        return InputCount == 1 ? [xGrad] : [xGrad, NeedsInputGrad(1) ? grad.Gather(dim, index) : null];
    }

    protected override void ReleaseSaved() => _index = default;
}

/// <summary>
/// <c>out = x.scatter_add(dim, index, src)</c>: out = x + (src added at the indexed positions), so ∂L/∂x = g and
/// ∂L/∂src = g.gather(dim, index). Saves the index.
/// </summary>
internal sealed class ScatterAddBackward(Tensor x, int dim, Tensor index, Tensor src) : Node(x, src)
{
    private SavedTensor _index = src.RequiresGrad ? index : null;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [NeedsInputGrad(0) ? grad : null, NeedsInputGrad(1) ? grad.Gather(dim, Saved(_index)) : null];

    protected override void ReleaseSaved() => _index = default;
}
