using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Inverse hyperbolic tangent element-wise: atanh x = ½ log((1 + x)/(1 − x)); ±1 give ±∞, NaN outside [−1, 1]. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Atanh(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Atanh, TensorPrimitives.Atanh);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AtanhBackward(x)) : output;
    }

    /// <inheritdoc cref="Atanh(Tensor)"/>
    public Tensor Atanh() => Atanh(this);
}

/// <summary><c>out = atanh x</c>: ∂L/∂x = g / (1 − x²).</summary>
internal sealed class AtanhBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad / (1.0 - (x * x))];
    }

    protected override void ReleaseSaved() => _x = null;
}
