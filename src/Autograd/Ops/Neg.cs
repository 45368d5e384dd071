using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise negation: <c>-x</c>.</summary>
    public static Tensor operator -(Tensor x)
    {
        Tensor output = Elementwise.Map(x, TensorPrimitives.Negate);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new NegBackward(x)) : output;
    }

    /// <inheritdoc cref="op_UnaryNegation(Tensor)"/>
    public Tensor Neg() => -this;
}

/// <summary><c>out = -x</c>: ∂L/∂x = -g.</summary>
internal sealed class NegBackward(Tensor x) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [Scale(grad, -1f)];
}
