using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements where <paramref name="mask"/> is true, as a 1-d tensor in row-major order (PyTorch's
    /// <c>masked_select</c>); this tensor and the bool mask broadcast together first. Differentiable:
    /// ∂L/∂x = g scattered into zeros at the masked positions (summed back to x's shape when x was broadcast).
    /// </summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask._dtype != DType.Bool)
        {
            throw new ArgumentException("masked_select: expected BoolTensor or ByteTensor for mask", nameof(mask));
        }

        int[] shape = Broadcasting.Shapes(mask._shape, _shape);
        ReadOnlySpan<bool> selected = Operands.Read<bool>(mask, DType.Bool, shape);
        int n = Logical.Count(selected);
        Tensor output = _dtype switch
        {
            DType.Float32 => Gather<float>(this, selected, n, shape),
            DType.Float64 => Gather<double>(this, selected, n, shape),
            DType.Int64 => Gather<long>(this, selected, n, shape),
            DType.Int32 => Gather<int>(this, selected, n, shape),
            DType.Bool => Gather<bool>(this, selected, n, shape),
            DType.Float16 => Gather<Half>(this, selected, n, shape),
            _ => Gather<ushort>(this, selected, n, shape),
        };

        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MaskedSelectBackward(this, mask, shape)) : output;

        static Tensor Gather<T>(Tensor x, ReadOnlySpan<bool> mask, int n, int[] shape)
        {
            var values = new T[n];
            Logical.Gather(Operands.Read<T>(x, x._dtype, shape), mask, values);
            return Operands.Fresh(values, x._dtype, [n]);
        }
    }

    /// <summary>
    /// Zeros of <paramref name="shape"/> with <paramref name="source"/>'s elements placed, in order, where
    /// <paramref name="mask"/> (broadcast to the shape) is true: the adjoint of <see cref="MaskedSelect"/>, recorded so
    /// that its gradient is a masked select again.
    /// </summary>
    internal static Tensor MaskedScatterIntoZeros(Tensor source, Tensor mask, int[] shape)
    {
        ReadOnlySpan<bool> selected = Operands.Read<bool>(mask, DType.Bool, shape);
        Tensor output = source._dtype switch
        {
            DType.Float32 => Scatter<float>(source, selected, shape),
            DType.Float64 => Scatter<double>(source, selected, shape),
            DType.Float16 => Scatter<Half>(source, selected, shape),
            DType.BFloat16 => Scatter<ushort>(source, selected, shape),
            _ => throw NotImplementedFor(source._dtype, "masked_scatter"),
        };

        return GradMode.ShouldRecord(source) ? output.WithGradFn(new MaskedScatterBackward(source, mask)) : output;

        static Tensor Scatter<T>(Tensor source, ReadOnlySpan<bool> mask, int[] shape)
        {
            var values = new T[Autograd.Shape.ElementCountOf(shape)];
            Logical.Scatter(Operands.Read<T>(source, source._dtype, source._shape), mask, values);
            return Operands.Fresh(values, source._dtype, shape);
        }
    }
}

/// <summary>
/// <c>out = x[m]</c> (x and m broadcast to one shape): ∂L/∂x = scatter of g into zeros at the true positions of m,
/// which the engine sums back to x's shape. Saves the mask and the broadcast shape.
/// </summary>
internal sealed class MaskedSelectBackward : Node
{
    private readonly int[] _shape;
    private SavedTensor _mask;

    internal MaskedSelectBackward(Tensor x, Tensor mask, int[] shape)
        : base(x) => (_mask, _shape) = (mask, shape);

    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.MaskedScatterIntoZeros(grad, Saved(_mask), _shape)];

    protected override void ReleaseSaved() => _mask = default;
}

/// <summary><c>out = scatter(s, m)</c> into zeros: ∂L/∂s = g[m], the masked select of the gradient. Saves the mask.</summary>
internal sealed class MaskedScatterBackward : Node
{
    private SavedTensor _mask;

    internal MaskedScatterBackward(Tensor source, Tensor mask)
        : base(source) => _mask = mask;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.MaskedSelect(Saved(_mask))];

    protected override void ReleaseSaved() => _mask = default;
}
