using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The inverse error function element-wise: erfinv(erf y) = y; ±1 give ±∞, NaN outside [−1, 1]. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Erfinv(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, SpecialFunctions.Erfinv, SpecialFunctions.Erfinv);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ErfinvBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Erfinv(Tensor)"/>
    public Tensor Erfinv() => Erfinv(this);
}

/// <summary><c>out = erfinv x</c>: ∂L/∂x = g ⊙ (√π/2) e^(out²) (the reciprocal of erf's derivative at out).</summary>
internal sealed class ErfinvBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad * (Tensor.Exp(output * output) * (Math.Sqrt(Math.PI) / 2))];
    }

    protected override void ReleaseSaved() => _output = null;
}
