namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise rectifier max(x, 0).</summary>
    public static Tensor Relu(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Relu, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ReluBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Relu(Tensor)"/>
    public Tensor Relu() => Relu(this);
}

/// <summary>
/// <c>out = max(x, 0)</c>: ∂L/∂x = g ⊙ [not (out ≤ 0)] (PyTorch's threshold_backward: a NaN input passes its gradient). The step mask [out &gt; 0] is a constant (its own derivative is zero
/// almost everywhere), so the output is saved and the mask rebuilt from it; at x = 0 the gradient is 0, as in PyTorch.
/// </summary>
internal sealed class ReluBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad.Backend.FusedUnaryBackward(UnaryOp.Relu, grad, output) ?? grad * output.Backend.Unary(UnaryOp.ReluStep, output)];
    }

    protected override void ReleaseSaved() => _output = null;
}
