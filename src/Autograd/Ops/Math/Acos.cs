using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Arccosine element-wise, in [0, π]; NaN outside [−1, 1]. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Acos(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Acos, TensorPrimitives.Acos);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AcosBackward(x)) : output;
    }

    /// <inheritdoc cref="Acos(Tensor)"/>
    public Tensor Acos() => Acos(this);
}

/// <summary><c>out = acos x</c>: ∂L/∂x = −g / √(1 − x²).</summary>
internal sealed class AcosBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [-(grad * Tensor.Rsqrt(1.0 - (x * x)))];
    }

    protected override void ReleaseSaved() => _x = null;
}
