using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>1/√x element-wise (PyTorch's <c>rsqrt</c>): +0 gives +∞, negatives NaN. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Rsqrt(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.ReciprocalSqrt, TensorPrimitives.ReciprocalSqrt);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new RsqrtBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Rsqrt(Tensor)"/>
    public Tensor Rsqrt() => Rsqrt(this);
}

/// <summary><c>out = 1/√x</c>: ∂L/∂x = −½ g ⊙ out³.</summary>
internal sealed class RsqrtBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad * (output.Pow(3L) * -0.5)];
    }

    protected override void ReleaseSaved() => _output = null;
}
