using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Hyperbolic sine element-wise: sinh x = (eˣ − e⁻ˣ)/2. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Sinh(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Sinh, TensorPrimitives.Sinh);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SinhBackward(x)) : output;
    }

    /// <inheritdoc cref="Sinh(Tensor)"/>
    public Tensor Sinh() => Sinh(this);
}

/// <summary><c>out = sinh x</c>: ∂L/∂x = g ⊙ cosh x.</summary>
internal sealed class SinhBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * Tensor.Cosh(x)];
    }

    protected override void ReleaseSaved() => _x = null;
}
