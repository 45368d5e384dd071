namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise logistic function σ(x) = 1 / (1 + e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Sigmoid, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SigmoidBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Sigmoid(Tensor)"/>
    public Tensor Sigmoid() => Sigmoid(this);
}

/// <summary><c>out = σ(x)</c>: ∂L/∂x = g ⊙ out ⊙ (1 - out) (the output is saved).</summary>
internal sealed class SigmoidBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor s = Saved(_output);
        return [grad.Backend.FusedUnaryBackward(UnaryOp.Sigmoid, grad, s) ?? grad * s * (1f - s)];
    }

    protected override void ReleaseSaved() => _output = null;
}
