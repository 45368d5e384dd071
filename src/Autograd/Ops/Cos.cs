namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise cosine.</summary>
    public static Tensor Cos(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Cos, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new CosBackward(x)) : output;
    }

    /// <inheritdoc cref="Cos(Tensor)"/>
    public Tensor Cos() => Cos(this);
}

/// <summary><c>out = cos x</c>: ∂L/∂x = -g ⊙ sin x.</summary>
internal sealed class CosBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad.Backend.FusedUnaryBackward(UnaryOp.Cos, grad, x) ?? -(grad * Tensor.Sin(x))];
    }

    protected override void ReleaseSaved() => _x = null;
}
