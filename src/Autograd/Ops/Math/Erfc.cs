using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The complementary error function element-wise: erfc x = 1 − erf x, without cancellation for large x. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Erfc(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, SpecialFunctions.Erfc, SpecialFunctions.Erfc);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ErfcBackward(x)) : output;
    }

    /// <inheritdoc cref="Erfc(Tensor)"/>
    public Tensor Erfc() => Erfc(this);
}

/// <summary><c>out = erfc x</c>: ∂L/∂x = −g ⊙ (2/√π) e^(−x²).</summary>
internal sealed class ErfcBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * (Tensor.Exp(-(x * x)) * (-2 / Math.Sqrt(Math.PI)))];
    }

    protected override void ReleaseSaved() => _x = null;
}
