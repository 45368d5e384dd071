namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements at <paramref name="index"/> of this tensor read as 1-d in row-major order (PyTorch's <c>take</c>):
    /// <c>out[c] = x.flatten()[index[c]]</c>; negative indices count from the end.
    /// </summary>
    /// <param name="index">An int64 tensor of any shape, entries in <c>[-numel, numel)</c>.</param>
    /// <returns>A new tensor of the index's shape.</returns>
    public Tensor Take(Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index._dtype != DType.Int64)
        {
            throw new ArgumentException($"take(): Expected a long tensor for index, but got {index._dtype.ScalarTypeName()}", nameof(index));
        }

        long[] values = index.ToArray<long>();
        int bad = Kernels.Indexing.FindInvalid(values, _count, wrap: true);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"out of range: tried to access index {values[bad]} on a tensor of {_count} elements.");
        }

        int[] all = Kernels.Indexing.StridedOffsets(_shape, Joining.StridesOf(this), _offset);
        var offsets = new int[values.Length];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = all[values[i] < 0 ? values[i] + _count : values[i]];
        }

        Array storage = _dtype.NewArray(offsets.Length);
        Kernels.Indexing.Gather(Storage, offsets, storage, 0);
        Tensor output = IndexingCommon.Wrap(storage, _dtype, index._shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new TakeBackward(this, index)) : output;
    }
}

/// <summary>
/// <c>out = take(x, index)</c> = x.flatten()[index]: ∂L/∂x = zeros(numel).index_put([index], g, accumulate=True)
/// reshaped to x's shape (repeated indices accumulate). Saves the index.
/// </summary>
internal sealed class TakeBackward(Tensor x, Tensor index) : Node(x)
{
    private readonly int[] _shape = x._shape;
    private readonly DType _dtype = x._dtype;
    private SavedTensor _index = index;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [Tensor.Zeros([Autograd.Shape.ElementCountOf(_shape)], _dtype).IndexPut([Saved(_index)], grad, accumulate: true).Reshape(_shape)];

    protected override void ReleaseSaved() => _index = default;
}
