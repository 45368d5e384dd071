using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Tangent element-wise. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Tan(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Tan, TensorPrimitives.Tan);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new TanBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Tan(Tensor)"/>
    public Tensor Tan() => Tan(this);
}

/// <summary><c>out = tan x</c>: ∂L/∂x = g ⊙ (1 + out²).</summary>
internal sealed class TanBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad * ((output * output) + 1.0)];
    }

    protected override void ReleaseSaved() => _output = null;
}
