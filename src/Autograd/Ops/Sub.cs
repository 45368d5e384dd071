using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise difference with NumPy broadcasting: <c>a - b</c>.</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        Tensor output = Elementwise.Binary<SubtractOperator>(a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new SubBackward(a, b)) : output;
    }

    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, float b)
    {
        Tensor output = Elementwise.BinaryScalar<SubtractOperator>(a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new SubBackward(a, negate: false)) : output;
    }

    /// <summary>Subtracts every element from a scalar.</summary>
    public static Tensor operator -(float a, Tensor b)
    {
        Tensor output = Elementwise.BinaryScalar<SubtractOperator>(b, a, scalarFirst: true);
        return GradMode.ShouldRecord(b) ? output.WithGradFn(new SubBackward(b, negate: true)) : output;
    }

    /// <inheritdoc cref="op_Subtraction(Tensor, Tensor)"/>
    public static Tensor Sub(Tensor a, Tensor b) => a - b;
}

/// <summary>
/// <c>out = a - b</c>: ∂L/∂a = g, ∂L/∂b = -g. With one input the other operand was a constant scalar,
/// on the right (<c>a - s</c>: g) or on the left (<c>s - a</c>: -g).
/// </summary>
internal sealed class SubBackward : Node
{
    private readonly bool _negate;

    internal SubBackward(Tensor a, Tensor b)
        : base(a, b)
    {
    }

    internal SubBackward(Tensor a, bool negate)
        : base(a) => _negate = negate;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1 ? [_negate ? -grad : grad] : [NeedsInputGrad(0) ? grad : null, NeedsInputGrad(1) ? -grad : null];
}
