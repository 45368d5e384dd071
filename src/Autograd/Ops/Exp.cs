namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise eˣ.</summary>
    public static Tensor Exp(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Exp, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ExpBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Exp(Tensor)"/>
    public Tensor Exp() => Exp(this);
}

/// <summary><c>out = eˣ</c>: ∂L/∂x = g ⊙ out (the output is saved, not x).</summary>
internal sealed class ExpBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad) => [Scale(grad, Saved(_output))];

    protected override void ReleaseSaved() => _output = null;
}
