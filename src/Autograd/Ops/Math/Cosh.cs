using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Hyperbolic cosine element-wise: cosh x = (eˣ + e⁻ˣ)/2. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Cosh(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Cosh, TensorPrimitives.Cosh);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new CoshBackward(x)) : output;
    }

    /// <inheritdoc cref="Cosh(Tensor)"/>
    public Tensor Cosh() => Cosh(this);
}

/// <summary><c>out = cosh x</c>: ∂L/∂x = g ⊙ sinh x.</summary>
internal sealed class CoshBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * Tensor.Sinh(x)];
    }

    protected override void ReleaseSaved() => _x = null;
}
