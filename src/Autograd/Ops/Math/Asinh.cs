using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Inverse hyperbolic sine element-wise: asinh x = log(x + √(x² + 1)). Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Asinh(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Asinh, TensorPrimitives.Asinh);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AsinhBackward(x)) : output;
    }

    /// <inheritdoc cref="Asinh(Tensor)"/>
    public Tensor Asinh() => Asinh(this);
}

/// <summary><c>out = asinh x</c>: ∂L/∂x = g / √(x² + 1).</summary>
internal sealed class AsinhBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * Tensor.Rsqrt((x * x) + 1.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
