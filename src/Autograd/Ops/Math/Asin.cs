using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Arcsine element-wise, in [−π/2, π/2]; NaN outside [−1, 1]. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Asin(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Asin, TensorPrimitives.Asin);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AsinBackward(x)) : output;
    }

    /// <inheritdoc cref="Asin(Tensor)"/>
    public Tensor Asin() => Asin(this);
}

/// <summary><c>out = asin x</c>: ∂L/∂x = g / √(1 − x²).</summary>
internal sealed class AsinBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * Tensor.Rsqrt(1.0 - (x * x))];
    }

    protected override void ReleaseSaved() => _x = null;
}
