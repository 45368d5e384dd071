namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise negation: <c>-x</c>.</summary>
    public static Tensor operator -(Tensor x)
    {
        if (x._dtype == DType.Bool)
        {
            throw new InvalidOperationException(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }

        Tensor output = x.Backend.Unary(UnaryOp.Negate, x);
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
