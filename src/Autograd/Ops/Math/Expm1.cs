using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>eˣ − 1 element-wise, accurate for tiny x (expm1 1e-10 = 1e-10, where exp(x) − 1 gives 1.00000008e-10). Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Expm1(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, MathKernels.Expm1, MathKernels.Expm1);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new Expm1Backward(x, output)) : output;
    }

    /// <inheritdoc cref="Expm1(Tensor)"/>
    public Tensor Expm1() => Expm1(this);
}

/// <summary><c>out = eˣ − 1</c>: ∂L/∂x = g ⊙ (out + 1).</summary>
internal sealed class Expm1Backward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad * (output + 1.0)];
    }

    protected override void ReleaseSaved() => _output = null;
}
