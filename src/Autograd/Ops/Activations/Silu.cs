namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise SiLU (swish): <c>x·σ(x) = x / (1 + e⁻ˣ)</c>.</summary>
    internal static Tensor Silu(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Silu, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SiluBackward(x)) : output;
    }
}

/// <summary>
/// <c>out = x·σ(x)</c>: ∂L/∂x = g·σ(x)·(1 + x·(1 − σ(x))) (PyTorch's silu_backward), with tensor ops (one fused double-precision pass when no graph is recorded).
/// </summary>
internal sealed class SiluBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        if (grad.Backend.FusedActivationBackward(ActivationOp.Silu, grad, x) is { } fused)
        {
            return [fused];
        }

        Tensor s = Tensor.Sigmoid(x);
        return [grad * s * ((x * (1.0 - s)) + 1.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
