using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>log₂ x element-wise: 0 gives −∞, negatives NaN. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Log2(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Log2, TensorPrimitives.Log2);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new Log2Backward(x)) : output;
    }

    /// <inheritdoc cref="Log2(Tensor)"/>
    public Tensor Log2() => Log2(this);
}

/// <summary><c>out = log₂ x</c>: ∂L/∂x = g / (x · ln 2).</summary>
internal sealed class Log2Backward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad / (x * Math.Log(2.0))];
    }

    protected override void ReleaseSaved() => _x = null;
}
