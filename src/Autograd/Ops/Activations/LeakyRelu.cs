namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise <c>x &gt; 0 ? x : negativeSlope·x</c> (PyTorch's <c>leaky_relu</c>).</summary>
    internal static Tensor LeakyRelu(Tensor x, double negativeSlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.LeakyRelu, x, negativeSlope);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new LeakyReluBackward(x, negativeSlope)) : output;
    }
}

/// <summary>
/// <c>out = x &gt; 0 ? x : s·x</c>: ∂L/∂x = x &gt; 0 ? g : s·g (PyTorch's leaky_relu_backward: at x = 0 and for NaN the
/// slope applies). The mask is constant, so the rule is linear in g and its own derivative in x is zero.
/// </summary>
internal sealed class LeakyReluBackward(Tensor x, double negativeSlope) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad.Backend.FusedActivationBackward(ActivationOp.LeakyRelu, grad, x, negativeSlope) ?? Tensor.Where(x > 0.0, grad, grad * negativeSlope)];
    }

    protected override void ReleaseSaved() => _x = null;
}
