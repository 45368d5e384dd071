using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// C's fmod element-wise with broadcasting: a − trunc(a/b)·b, which has the sign of the dividend a (fmod(−3, 2) = −1). The operands promote as PyTorch's; integers are exact and a zero integer divisor raises PyTorch's ZeroDivisionError, a zero floating one gives NaN.
    /// </summary>
    public static Tensor Fmod(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedFmod>(a, b);
        return GradMode.ShouldRecord(a, b) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new FmodBackward(a, b)) : output;
    }

    /// <summary>The same with a number divisor (PyTorch's wrapped-number rule: a floating tensor keeps its type, an integer one becomes float32).</summary>
    public static Tensor Fmod(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor output = TypedElementwise.BinaryScalar<TypedFmod>(a, b, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new FmodBackward(a)) : output;
    }

    /// <summary>The same with an integer divisor: the tensor's dtype is kept.</summary>
    public static Tensor Fmod(Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Tensor output = TypedElementwise.BinaryScalar<TypedFmod>(a, b, scalarIsFloatingPoint: false, scalarFirst: false);
        return GradMode.ShouldRecord(a) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new FmodBackward(a)) : output;
    }

    /// <inheritdoc cref="Fmod(Tensor, Tensor)"/>
    public Tensor Fmod(Tensor other) => Fmod(this, other);

    /// <inheritdoc cref="Fmod(Tensor, double)"/>
    public Tensor Fmod(double other) => Fmod(this, other);

    /// <inheritdoc cref="Fmod(Tensor, long)"/>
    public Tensor Fmod(long other) => Fmod(this, other);
}

/// <summary>
/// <c>out = Fmod(a, b)</c>: ∂L/∂a = g, ∂L/∂b = −g ⊙ trunc(a/b) (PyTorch's formula, differentiable again with a zero
/// second derivative). With a number divisor there is one input and ∂L/∂a = g. Saves a and b only for b's gradient.
/// </summary>
internal sealed class FmodBackward : Node
{
    private SavedTensor _a;
    private SavedTensor _b;

    internal FmodBackward(Tensor a, Tensor b)
        : base(a, b) => (_a, _b) = b.RequiresGrad ? (a, b) : (null, null);

    internal FmodBackward(Tensor a)
        : base(a)
    {
    }

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1
            ? [grad]
            : [NeedsInputGrad(0) ? grad : null, NeedsInputGrad(1) ? -(grad * Tensor.Trunc(Saved(_a) / Saved(_b))) : null];

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
