namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Advanced indexing <c>x[indices]</c> with one entry per leading dimension (null for a whole dimension): a
    /// gathered copy, recorded as <see cref="IndexBackward"/>.
    /// </summary>
    internal Tensor Index(Tensor?[] indices)
    {
        AdvancedIndex.Plan plan = AdvancedIndex.Build(this, indices);
        Array storage = _dtype.NewArray(plan.Offsets.Length);
        Kernels.Indexing.Gather(Storage, plan.Offsets, storage, 0);
        Tensor output = IndexingCommon.Wrap(storage, _dtype, plan.Shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new IndexBackward(this, indices)) : output;
    }
}

/// <summary>
/// <c>out = x[indices]</c> (advanced indexing): each output element is one element of x, so ∂L/∂x adds g back where
/// it came from, repeated indices accumulating: ∂L/∂x = zeros_like(x).index_put(indices, g, accumulate=True).
/// Saves the index tensors.
/// </summary>
internal sealed class IndexBackward(Tensor x, Tensor?[] indices) : Node(x)
{
    private readonly int[] _shape = x._shape;
    private readonly DType _dtype = x._dtype;
    private SavedTensor[]? _indices = [.. indices.Select(i => (SavedTensor)i)];

    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.Zeros(_shape, _dtype).IndexPut(Restore(_indices), grad, accumulate: true)];

    protected override void ReleaseSaved() => _indices = null;

    /// <summary>The saved index tensors (null entries stay null), checked against in-place changes.</summary>
    internal static Tensor?[] Restore(SavedTensor[]? saved)
    {
        if (saved is null)
        {
            _ = Saved(default);   // throws the "graph freed" error
        }

        var indices = new Tensor?[saved!.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = saved[i].Tensor is null ? null : Saved(saved[i]);
        }

        return indices;
    }
}
