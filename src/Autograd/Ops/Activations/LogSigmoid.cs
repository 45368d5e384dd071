namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise <c>log σ(x) = min(x, 0) − log(1 + e^(−|x|))</c>, finite for every finite x.</summary>
    internal static Tensor LogSigmoid(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.LogSigmoid, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new LogSigmoidBackward(x)) : output;
    }
}

/// <summary>
/// <c>out = log σ(x)</c>: ∂L/∂x = g·(1 − σ(x)) = g·σ(−x) (PyTorch's log_sigmoid_backward), with tensor ops (one fused double-precision pass when no graph is recorded).
/// </summary>
internal sealed class LogSigmoidBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad.Backend.FusedActivationBackward(ActivationOp.LogSigmoid, grad, x) ?? grad * Tensor.Sigmoid(-x)];
    }

    protected override void ReleaseSaved() => _x = null;
}
