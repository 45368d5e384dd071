namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise Mish: <c>x·tanh(softplus(x)) = x·tanh(log(1 + eˣ))</c>.</summary>
    internal static Tensor Mish(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Mish, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new MishBackward(x)) : output;
    }
}

/// <summary>
/// <c>out = x·tanh(sp(x))</c>, sp(x) = log(1 + eˣ), sp′ = σ: ∂L/∂x = g·(t + x·σ(x)·(1 − t²)) with t = tanh(sp(x))
/// (PyTorch's mish_backward), with tensor ops (the softplus threshold 20 changes nothing: tanh is 1 there in both
/// precisions); one fused double-precision pass when no graph is recorded.
/// </summary>
internal sealed class MishBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        if (grad.Backend.FusedActivationBackward(ActivationOp.Mish, grad, x) is { } fused)
        {
            return [fused];
        }

        Tensor t = Tensor.Tanh(Tensor.Softplus(x, 1, 20));
        return [grad * (t + (x * Tensor.Sigmoid(x) * (1.0 - (t * t))))];
    }

    protected override void ReleaseSaved() => _x = null;
}
