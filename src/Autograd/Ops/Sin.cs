namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise sine.</summary>
    public static Tensor Sin(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Sin, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SinBackward(x)) : output;
    }

    /// <inheritdoc cref="Sin(Tensor)"/>
    public Tensor Sin() => Sin(this);
}

/// <summary><c>out = sin x</c>: ∂L/∂x = g ⊙ cos x.</summary>
internal sealed class SinBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad.Backend.FusedUnaryBackward(UnaryOp.Sin, grad, x) ?? grad * Tensor.Cos(x)];
    }

    protected override void ReleaseSaved() => _x = null;
}
