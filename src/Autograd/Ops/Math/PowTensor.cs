using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// aᵇ element-wise with a tensor exponent, broadcasting (torch.pow(input, exponent)). The operands promote as
    /// PyTorch's (<c>result_type</c>); integer results are exact, wrapping on overflow, and a negative integer exponent
    /// gives the truncated 1/aⁿ (1 for a = 1, ±1 for a = −1, else 0), as PyTorch's integer pow. Bools are refused.
    /// </summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor output = TypedElementwise.Binary<TypedPow>(a, b);
        return GradMode.ShouldRecord(a, b) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new PowTensorBackward(a, b, output)) : output;
    }

    /// <inheritdoc cref="Pow(Tensor, Tensor)"/>
    public Tensor Pow(Tensor exponent) => Pow(this, exponent);

    /// <summary>
    /// baseᵉ element-wise for a number base and a tensor exponent (torch.pow(self: Scalar, exponent)): a float32 or
    /// float64 exponent keeps its type (the base rounded to it), an integer or bool one gives float32.
    /// </summary>
    public static Tensor Pow(double @base, Tensor exponent)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        return PowScalarBase(@base, Scalar(@base, DTypes.PromoteWithScalar(exponent._dtype, scalarIsFloatingPoint: true)), exponent);
    }

    /// <summary>
    /// baseᵉ for an integer base: an integer exponent keeps its dtype (a bool one becomes int64) and is computed exactly
    /// as in <see cref="Pow(Tensor, Tensor)"/>; a floating exponent keeps its type.
    /// </summary>
    public static Tensor Pow(long @base, Tensor exponent)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        return PowScalarBase(@base, Operands.Scalar(@base, DTypes.PromoteWithScalar(exponent._dtype, scalarIsFloatingPoint: false)), exponent);
    }

    private static Tensor PowScalarBase(double @base, Tensor baseTensor, Tensor exponent)
    {
        Tensor output = TypedElementwise.Binary<TypedPow>(baseTensor, exponent);
        return GradMode.ShouldRecord(exponent) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new PowScalarBaseBackward(@base, exponent, output)) : output;
    }
}

/// <summary>
/// <c>out = aᵇ</c> (PyTorch's PowBackward1): ∂L/∂a = g ⊙ b·aᵇ⁻¹, 0 where b = 0; ∂L/∂b = g ⊙ out·log a, 0 where a = 0
/// and b ≥ 0 (where log a = −∞ would give NaN or −∞ though aᵇ is flat or 0). log a is taken in a's own
/// floating type (float32 for an integer a), as PyTorch 1.13 does.
/// </summary>
internal sealed class PowTensorBackward(Tensor a, Tensor b, Tensor output) : Node(a, b)
{
    private SavedTensor _a = a;
    private SavedTensor _b = b;
    private SavedTensor _output = b.RequiresGrad ? output : null;

    /// <summary>PyTorch's name, PowBackward (its PowBackward1).</summary>
    public override string Name => "PowBackward";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor a = Saved(_a), b = Saved(_b);
        Tensor? gradA = null, gradB = null;
        if (NeedsInputGrad(0))
        {
            gradA = Tensor.Where(Tensor.Eq(b, 0.0), 0.0, grad * (b * Tensor.Pow(a, b - 1.0)));
        }

        if (NeedsInputGrad(1))
        {
            Tensor output = Saved(_output);
            Tensor flat = Tensor.Eq(a, 0.0) & Tensor.Ge(b, 0.0);
            gradB = grad * Tensor.Where(flat, 0.0, output * Tensor.Log(a));
        }

        return [gradA, gradB];
    }

    protected override void ReleaseSaved() => (_a, _b, _output) = (null, null, null);
}

/// <summary>
/// <c>out = baseᵉ</c> for a number base (PyTorch's PowBackward2): ∂L/∂e = g ⊙ out·ln base; for base = 0, 0 where e ≥ 0
/// (out is then 1 or 0 and flat) and g ⊙ out·ln 0 elsewhere, as PyTorch's.
/// </summary>
internal sealed class PowScalarBaseBackward(double @base, Tensor exponent, Tensor output) : Node(exponent)
{
    private SavedTensor _exponent = @base == 0 ? exponent : null;
    private SavedTensor _output = output;

    /// <summary>PyTorch's name, PowBackward (its PowBackward2).</summary>
    public override string Name => "PowBackward";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        Tensor slope = grad * (output * Math.Log(@base));
        return [@base == 0 ? Tensor.Where(Tensor.Ge(Saved(_exponent), 0.0), 0.0, slope) : slope];
    }

    protected override void ReleaseSaved() => (_exponent, _output) = (null, null);
}
