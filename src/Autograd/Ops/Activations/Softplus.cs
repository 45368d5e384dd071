namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise <c>log(1 + e^(βx))/β</c>, reverting to x where <c>βx &gt; threshold</c> (PyTorch's softplus).
    /// </summary>
    internal static Tensor Softplus(Tensor x, double beta, double threshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Softplus, x, beta, threshold);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SoftplusBackward(x, beta, threshold)) : output;
    }
}

/// <summary>
/// <c>out = βx &gt; τ ? x : log(1 + e^(βx))/β</c>: ∂L/∂x = βx &gt; τ ? g : g·σ(βx) (PyTorch's softplus_backward, where
/// z/(z + 1) with z = e^(βx) is σ(βx)); the second derivative β·σ(βx)(1 − σ(βx)) follows from the tensor ops.
/// </summary>
internal sealed class SoftplusBackward(Tensor x, double beta, double threshold) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        if (grad.Backend.FusedActivationBackward(ActivationOp.Softplus, grad, x, beta, threshold) is { } fused)
        {
            return [fused];
        }

        Tensor scaled = x * beta;
        return [Tensor.Where(scaled > threshold, grad, grad * Tensor.Sigmoid(scaled))];
    }

    protected override void ReleaseSaved() => _x = null;
}
