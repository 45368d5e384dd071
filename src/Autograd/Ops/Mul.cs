using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise product with NumPy broadcasting: <c>a ⊙ b</c>.</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        Tensor output = Elementwise.Binary<MultiplyOperator>(a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new MulBackward(a, b)) : output;
    }

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, float b)
    {
        Tensor output = Elementwise.BinaryScalar<MultiplyOperator>(a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new MulBackward(a, b)) : output;
    }

    /// <inheritdoc cref="op_Multiply(Tensor, float)"/>
    public static Tensor operator *(float a, Tensor b) => b * a;

    /// <inheritdoc cref="op_Multiply(Tensor, Tensor)"/>
    public static Tensor Mul(Tensor a, Tensor b) => a * b;
}

/// <summary>
/// <c>out = a ⊙ b</c>: ∂L/∂a = g ⊙ b, ∂L/∂b = g ⊙ a. Each operand is saved only when the other one's
/// gradient needs it. With one input the other operand was the constant scalar s: ∂L/∂a = g·s.
/// </summary>
internal sealed class MulBackward : Node
{
    private readonly float _scalar;
    private SavedTensor _a;
    private SavedTensor _b;

    internal MulBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = a.RequiresGrad ? b : null;
    }

    internal MulBackward(Tensor a, float scalar)
        : base(a) => _scalar = scalar;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1
            ? [ScaleInto(0, grad, _scalar)]
            : [NeedsInputGrad(0) ? ScaleInto(0, grad, Saved(_b)) : null, NeedsInputGrad(1) ? ScaleInto(1, grad, Saved(_a)) : null];

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
