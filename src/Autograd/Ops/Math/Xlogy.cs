using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// x·log y element-wise with broadcasting, defined as 0 where x = 0 (even for y = 0 or ∞) unless y is NaN
    /// (torch.xlogy). The operands promote as PyTorch's, integers and bools to float32.
    /// </summary>
    public static Tensor Xlogy(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Tensor output = TypedElementwise.Binary<TypedXlogy>(x, y);
        return GradMode.ShouldRecord(x, y) ? output.WithGradFn(new XlogyBackward(x, y)) : output;
    }

    /// <summary>x·log y with a number y (PyTorch's wrapped-number rule: a floating x keeps its type, an integer one gives float32).</summary>
    public static Tensor Xlogy(Tensor x, double y)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Xlogy(x, Scalar(y, DTypes.PromoteWithScalar(x._dtype, scalarIsFloatingPoint: true)));
    }

    /// <inheritdoc cref="Xlogy(Tensor, Tensor)"/>
    public Tensor Xlogy(Tensor other) => Xlogy(this, other);

    /// <inheritdoc cref="Xlogy(Tensor, double)"/>
    public Tensor Xlogy(double other) => Xlogy(this, other);
}

/// <summary>
/// <c>out = xlogy(x, y)</c>: ∂L/∂x = xlogy(g, y), with 0 where x = 0 and y ≤ 0; ∂L/∂y = g ⊙ x / y (PyTorch's formulas).
/// </summary>
internal sealed class XlogyBackward(Tensor x, Tensor y) : Node(x, y)
{
    private SavedTensor _x = x;
    private SavedTensor _y = y;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x), y = Saved(_y);
        return
        [
            NeedsInputGrad(0) ? Tensor.Where(Tensor.Eq(x, 0.0) & Tensor.Le(y, 0.0), 0.0, Tensor.Xlogy(grad, y)) : null,
            NeedsInputGrad(1) ? grad * x / y : null,
        ];
    }

    protected override void ReleaseSaved() => (_x, _y) = (null, null);
}
