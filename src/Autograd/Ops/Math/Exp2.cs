using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>2ˣ element-wise. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Exp2(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Exp2, TensorPrimitives.Exp2);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new Exp2Backward(x, output)) : output;
    }

    /// <inheritdoc cref="Exp2(Tensor)"/>
    public Tensor Exp2() => Exp2(this);
}

/// <summary><c>out = 2ˣ</c>: ∂L/∂x = g ⊙ out · ln 2.</summary>
internal sealed class Exp2Backward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad * (output * Math.Log(2.0))];
    }

    protected override void ReleaseSaved() => _output = null;
}
