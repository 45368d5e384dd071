using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a 0-d tensor.</summary>
    public Tensor Sum()
    {
        if (_dtype != DType.Float32)
        {
            Tensor typed = TypedReduction.SumAll(this);
            return GradMode.ShouldRecord(this) ? typed.WithGradFn(new SumBackward(this)) : typed;
        }

        Tensor source = IsContiguous ? this : CloneData();
        var output = new Tensor([ChunkedParallel.Sum(source.AsReadOnlySpan(), source.Data, source._offset)], Autograd.Shape.ScalarDims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new SumBackward(this)) : output;
    }

    /// <summary>The sum over dimension <paramref name="dim"/>, which is removed unless <paramref name="keepDim"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false)
    {
        int[] kept = ReducedShape(dim, out int[] dropped);
        Tensor output = _dtype == DType.Float32
            ? new Tensor(Broadcast.SumTo(this, kept), keepDim ? kept : dropped)
            : TypedReduction.SumTo(this, kept, TypedReduction.SumType(_dtype)).Reshape(keepDim ? kept : dropped);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new SumBackward(this, kept)) : output;
    }

    /// <summary>This tensor's shape with <paramref name="dim"/> set to 1, and (out) with it removed.</summary>
    private int[] ReducedShape(int dim, out int[] dropped)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        if (Rank == 0)
        {
            dropped = Autograd.Shape.ScalarDims;
            return Autograd.Shape.ScalarDims;
        }

        int[] kept = (int[])_shape.Clone();
        kept[d] = 1;
        dropped = new int[Rank - 1];
        _shape.AsSpan(0, d).CopyTo(dropped);
        _shape.AsSpan(d + 1).CopyTo(dropped.AsSpan(d));
        return kept;
    }
}

/// <summary>
/// <c>out = Σ x</c> over all elements or over one dimension: ∂L/∂x = g broadcast back to x's shape (a zero-stride
/// view, no copy), after restoring a removed dimension as size 1.
/// </summary>
internal sealed class SumBackward(Tensor x, int[]? keptShape = null) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [(keptShape is null ? grad : grad.Reshape(keptShape)).Expand(_inputShape)];
}
