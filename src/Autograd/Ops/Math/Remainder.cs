using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Python's modulus element-wise with broadcasting: a − floor(a/b)·b, which has the sign of the divisor b (remainder(−3, 2) = 1). The operands promote as PyTorch's; integers are exact and a zero integer divisor raises PyTorch's ZeroDivisionError, a zero floating one gives NaN.
    /// </summary>
    public static Tensor Remainder(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedRemainder>(a, b);
        return GradMode.ShouldRecord(a, b) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new RemainderBackward(a, b)) : output;
    }

    /// <summary>The same with a number divisor (PyTorch's wrapped-number rule: a floating tensor keeps its type, an integer one becomes float32).</summary>
    public static Tensor Remainder(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor output = TypedElementwise.BinaryScalar<TypedRemainder>(a, b, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new RemainderBackward(a)) : output;
    }

    /// <summary>The same with an integer divisor: the tensor's dtype is kept.</summary>
    public static Tensor Remainder(Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor output = TypedElementwise.BinaryScalar<TypedRemainder>(a, b, scalarIsFloatingPoint: false, scalarFirst: false);
        return GradMode.ShouldRecord(a) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new RemainderBackward(a)) : output;
    }

    /// <inheritdoc cref="Remainder(Tensor, Tensor)"/>
    public Tensor Remainder(Tensor other) => Remainder(this, other);

    /// <inheritdoc cref="Remainder(Tensor, double)"/>
    public Tensor Remainder(double other) => Remainder(this, other);

    /// <inheritdoc cref="Remainder(Tensor, long)"/>
    public Tensor Remainder(long other) => Remainder(this, other);
}

/// <summary>
/// <c>out = Remainder(a, b)</c>: ∂L/∂a = g, ∂L/∂b = −g ⊙ floor(a/b) (PyTorch's formula, differentiable again with a zero
/// second derivative). With a number divisor there is one input and ∂L/∂a = g. Saves a and b only for b's gradient.
/// </summary>
internal sealed class RemainderBackward : Node
{
    private SavedTensor _a;
    private SavedTensor _b;

    internal RemainderBackward(Tensor a, Tensor b)
        : base(a, b) => (_a, _b) = b.RequiresGrad ? (a, b) : (null, null);

    internal RemainderBackward(Tensor a)
        : base(a)
    {
    }

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1
            ? [grad]
            : [NeedsInputGrad(0) ? grad : null, NeedsInputGrad(1) ? -(grad * Tensor.Floor(Saved(_a) / Saved(_b))) : null];

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
