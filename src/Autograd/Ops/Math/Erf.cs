using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The error function element-wise: erf x = (2/√π) ∫₀ˣ e^(−t²) dt (accuracy: see the kernel, SpecialFunctions). Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Erf(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, SpecialFunctions.Erf, SpecialFunctions.Erf);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ErfBackward(x)) : output;
    }

    /// <inheritdoc cref="Erf(Tensor)"/>
    public Tensor Erf() => Erf(this);
}

/// <summary><c>out = erf x</c>: ∂L/∂x = g ⊙ (2/√π) e^(−x²).</summary>
internal sealed class ErfBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * (Tensor.Exp(-(x * x)) * (2 / Math.Sqrt(Math.PI)))];
    }

    protected override void ReleaseSaved() => _x = null;
}
