using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// √(a² + b²) element-wise with broadcasting, without intermediate overflow or underflow (hypot(3e300, 4e300) =
    /// 5e300). Floating results only: PyTorch 1.13 has no integer kernel ("hypot_cpu" not implemented for 'Long'), so
    /// two integer operands are refused while an integer and a floating one promote to the floating type.
    /// </summary>
    public static Tensor Hypot(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedHypot>(a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new HypotBackward(a, b, output)) : output;
    }

    /// <inheritdoc cref="Hypot(Tensor, Tensor)"/>
    public Tensor Hypot(Tensor other) => Hypot(this, other);
}

/// <summary><c>out = √(a² + b²)</c>: ∂L/∂a = g ⊙ a/out, ∂L/∂b = g ⊙ b/out (NaN where a = b = 0, as PyTorch's).</summary>
internal sealed class HypotBackward(Tensor a, Tensor b, Tensor output) : Node(a, b)
{
    private SavedTensor _a = a;
    private SavedTensor _b = b;
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor a = Saved(_a), b = Saved(_b), output = Saved(_output);
        Tensor scaled = grad / output;
        return [NeedsInputGrad(0) ? scaled * a : null, NeedsInputGrad(1) ? scaled * b : null];
    }

    protected override void ReleaseSaved() => (_a, _b, _output) = (null, null, null);
}
