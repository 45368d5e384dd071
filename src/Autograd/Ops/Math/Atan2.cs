using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// atan2(a, b) element-wise with broadcasting: the angle in (−π, π] of the point (b, a), quadrant-aware (PyTorch's
    /// <c>torch.atan2(input, other)</c>). The operands promote as PyTorch's (<c>result_type</c>), integers and bools to
    /// float32.
    /// </summary>
    public static Tensor Atan2(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedAtan2>(a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new Atan2Backward(a, b)) : output;
    }

    /// <inheritdoc cref="Atan2(Tensor, Tensor)"/>
    public Tensor Atan2(Tensor other) => Atan2(this, other);
}

/// <summary>
/// <c>out = atan2(a, b)</c>: with r = 1/(a² + b²), ∂L/∂a = g ⊙ b·r, ∂L/∂b = −g ⊙ a·r (each summed back to its
/// operand's shape by the engine).
/// </summary>
internal sealed class Atan2Backward(Tensor a, Tensor b) : Node(a, b)
{
    private SavedTensor _a = a;
    private SavedTensor _b = b;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor a = Saved(_a), b = Saved(_b);
        Tensor scaled = grad * Tensor.Reciprocal((a * a) + (b * b));
        return [NeedsInputGrad(0) ? scaled * b : null, NeedsInputGrad(1) ? -(scaled * a) : null];
    }

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
