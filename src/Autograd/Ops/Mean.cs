using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The mean of all elements, as a 0-d tensor (NaN for an empty tensor, as in PyTorch).</summary>
    public Tensor Mean()
    {
        Tensor source = IsContiguous ? this : CloneData();
        float value = _count == 0 ? float.NaN : ChunkedParallel.Sum(source.AsReadOnlySpan(), source.Data, source._offset) / _count;
        GC.KeepAlive(source);   // a contiguous copy is read through its storage alone (see StorageLease)
        var output = new Tensor([value], Autograd.Shape.ScalarDims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MeanBackward(this, _count)) : output;
    }

    /// <summary>The mean over dimension <paramref name="dim"/>, which is removed unless <paramref name="keepDim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false)
    {
        int[] kept = ReducedShape(dim, out int[] dropped);
        int n = Rank == 0 ? 1 : _shape[Autograd.Shape.NormalizeDim(dim, Rank)];
        float[] sums = Broadcast.SumTo(this, kept);
        TensorPrimitives.Divide(sums, n, sums);
        var output = new Tensor(sums, keepDim ? kept : dropped);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MeanBackward(this, n, kept)) : output;
    }
}

/// <summary><c>out = (1/n) Σ x</c> over all elements or one dimension: ∂L/∂x = g / n broadcast back to x's shape.</summary>
internal sealed class MeanBackward(Tensor x, int n, int[]? keptShape = null) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [((keptShape is null ? grad : grad.Reshape(keptShape)) / n).Expand(_inputShape)];
}
