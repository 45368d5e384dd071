using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Inverse hyperbolic cosine element-wise: acosh x = log(x + √(x² − 1)), NaN below 1. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Acosh(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Acosh, TensorPrimitives.Acosh);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AcoshBackward(x)) : output;
    }

    /// <inheritdoc cref="Acosh(Tensor)"/>
    public Tensor Acosh() => Acosh(this);
}

/// <summary><c>out = acosh x</c>: ∂L/∂x = g / √(x² − 1).</summary>
internal sealed class AcoshBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * Tensor.Rsqrt((x * x) - 1.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
