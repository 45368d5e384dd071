namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise <c>x·min(max(x + 3, 0), 6) / 6</c> (PyTorch's hardswish).</summary>
    internal static Tensor Hardswish(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Hardswish, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new HardswishBackward(x)) : output;
    }
}

/// <summary>
/// <c>out = x·clamp(x + 3, 0, 6)/6</c>: ∂L/∂x = x &lt; −3 ? 0 : x ≥ 3 ? g : g·(x/3 + 1/2) (PyTorch's vectorised
/// hardswish_backward, which serves all but a tensor's last few elements: its scalar tail instead gives 1.5g at
/// x = 3 and g for NaN). With tensor ops, so the second derivative is g/3 on [−3, 3) (PyTorch's double backward uses
/// the open interval; the two differ only at exactly −3).
/// </summary>
internal sealed class HardswishBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        if (grad.Backend.FusedActivationBackward(ActivationOp.Hardswish, grad, x) is { } fused)
        {
            return [fused];
        }

        return [Tensor.Where(x < -3.0, 0.0, Tensor.Where(x >= 3.0, grad, grad * ((x * (1.0 / 3)) + 0.5)))];
    }

    protected override void ReleaseSaved() => _x = null;
}
