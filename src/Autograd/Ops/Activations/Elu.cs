namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>SELU's α (Klambauer et al. 2017), as PyTorch.</summary>
    internal const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>SELU's scale λ (Klambauer et al. 2017), as PyTorch.</summary>
    internal const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>
    /// PyTorch's elu family, element-wise: <c>x ≤ 0 ? α·λ·(e^(x·β) − 1) : λ·x</c> with α = <paramref name="alpha"/>,
    /// λ = <paramref name="scale"/>, β = <paramref name="inputScale"/>. elu is (α, 1, 1), selu (1.6733, 1.0507, 1),
    /// celu (α, 1, 1/α).
    /// </summary>
    internal static Tensor Elu(Tensor x, double alpha, double scale, double inputScale)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Elu, x, alpha, scale, inputScale);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new EluBackward(x, alpha, scale, inputScale)) : output;
    }
}

/// <summary>
/// <c>out = x ≤ 0 ? α·λ·(e^(βx) − 1) : λx</c>: ∂L/∂x = x &gt; 0 ? g·λ : g·α·λ·β·e^(βx) (PyTorch's elu_backward on the
/// input; NaN takes the exponential branch and gives NaN, as its vectorised kernel). Written with tensor ops, so the second derivative g·α·λ·β²·e^(βx) (zero for x &gt; 0)
/// follows; the exponent is taken of x with its positive entries zeroed, so the unused branch cannot overflow into
/// 0·∞.
/// </summary>
internal sealed class EluBackward(Tensor x, double alpha, double scale, double inputScale) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor positive = x > 0.0;
        Tensor exponential = Tensor.Exp(x.MaskedFill(positive, 0.0) * inputScale);
        return [Tensor.Where(positive, grad * scale, grad * exponential * (alpha * scale * inputScale))];
    }

    protected override void ReleaseSaved() => _x = null;
}
