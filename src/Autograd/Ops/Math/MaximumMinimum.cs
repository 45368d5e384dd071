using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The element-wise larger of <paramref name="a"/> and <paramref name="b"/> with broadcasting (torch.maximum): NaN
    /// if either is NaN. The operands promote as PyTorch's (<c>result_type</c>); two bool tensors give their "or". On a
    /// tie the gradient is split evenly between the operands, as PyTorch 1.13 does.
    /// </summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedMaximum>(a, b);
        return GradMode.ShouldRecord(a, b) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new ExtremumBackward(a, b, maximum: true)) : output;
    }

    /// <inheritdoc cref="Maximum(Tensor, Tensor)"/>
    public Tensor Maximum(Tensor other) => Maximum(this, other);

    /// <summary>
    /// The element-wise smaller of <paramref name="a"/> and <paramref name="b"/> with broadcasting (torch.minimum): NaN
    /// if either is NaN. Promotion as <see cref="Maximum(Tensor, Tensor)"/>; two bool tensors give their "and". On a tie
    /// the gradient is split evenly, as PyTorch 1.13 does.
    /// </summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedMinimum>(a, b);
        return GradMode.ShouldRecord(a, b) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new ExtremumBackward(a, b, maximum: false)) : output;
    }

    /// <inheritdoc cref="Minimum(Tensor, Tensor)"/>
    public Tensor Minimum(Tensor other) => Minimum(this, other);
}

/// <summary>
/// <c>out = maximum(a, b)</c> (or minimum), PyTorch 1.13's formula: h = where(a = b, g/2, g); ∂L/∂a = h with 0 where
/// a &lt; b (minimum: a &gt; b), ∂L/∂b = h with 0 where a &gt; b (minimum: a &lt; b). Where either is NaN no comparison
/// holds, so both operands receive the whole g, as in PyTorch.
/// </summary>
internal sealed class ExtremumBackward(Tensor a, Tensor b, bool maximum) : Node(a, b)
{
    private SavedTensor _a = a;
    private SavedTensor _b = b;

    /// <summary>MaximumBackward or MinimumBackward.</summary>
    public override string Name => maximum ? "MaximumBackward" : "MinimumBackward";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor a = Saved(_a), b = Saved(_b);
        Tensor shared = Tensor.Where(Tensor.Eq(a, b), grad / 2.0, grad);
        Tensor lower = Tensor.Lt(a, b), higher = Tensor.Gt(a, b);
        return
        [
            NeedsInputGrad(0) ? Tensor.Where(maximum ? lower : higher, 0.0, shared) : null,
            NeedsInputGrad(1) ? Tensor.Where(maximum ? higher : lower, 0.0, shared) : null,
        ];
    }

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
