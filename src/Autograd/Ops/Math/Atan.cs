using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Arctangent element-wise, in (−π/2, π/2). Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Atan(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Atan, TensorPrimitives.Atan);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AtanBackward(x)) : output;
    }

    /// <inheritdoc cref="Atan(Tensor)"/>
    public Tensor Atan() => Atan(this);
}

/// <summary><c>out = atan x</c>: ∂L/∂x = g / (1 + x²).</summary>
internal sealed class AtanBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad / ((x * x) + 1.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
