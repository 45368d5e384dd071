namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Tanh, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new TanhBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Tanh(Tensor)"/>
    public Tensor Tanh() => Tanh(this);
}

/// <summary><c>out = tanh x</c>: ∂L/∂x = g ⊙ (1 − out²) (the output is saved, not x).</summary>
internal sealed class TanhBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor t = Saved(_output);
        return [grad.Backend.FusedUnaryBackward(UnaryOp.Tanh, grad, t) ?? grad * (1f - (t * t))];
    }

    protected override void ReleaseSaved() => _output = null;
}
