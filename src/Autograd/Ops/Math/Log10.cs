using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>log₁₀ x element-wise: 0 gives −∞, negatives NaN. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Log10(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Log10, TensorPrimitives.Log10);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new Log10Backward(x)) : output;
    }

    /// <inheritdoc cref="Log10(Tensor)"/>
    public Tensor Log10() => Log10(this);
}

/// <summary><c>out = log₁₀ x</c>: ∂L/∂x = g / (x · ln 10).</summary>
internal sealed class Log10Backward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad / (x * Math.Log(10.0))];
    }

    protected override void ReleaseSaved() => _x = null;
}
