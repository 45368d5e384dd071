using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise <c>log(1 + e^(βx))/β</c>, reverting to x where <c>βx &gt; threshold</c> (PyTorch's softplus).
    /// </summary>
    internal static Tensor Softplus(Tensor x, double beta, double threshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        // The vector kernel needs β > 0 and τ ≤ 700 (where the scalar double formula's e^(βx) cannot overflow).
        Tensor output = beta > 0 && threshold <= 700
            ? ActivationMap.Floating(x, new SoftplusFunction(beta, threshold), new SoftplusKernel(beta, threshold), "softplus_cpu")
            : ActivationMap.Floating(x, new SoftplusFunction(beta, threshold), "softplus_cpu");
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
        if (Elementwise.CanFuse(grad, x))
        {
            return [ActivationMap.Fused(grad, x, new SoftplusBackwardKernel(beta, threshold))];
        }

        Tensor scaled = x * beta;
        return [Tensor.Where(scaled > threshold, grad, grad * Tensor.Sigmoid(scaled))];
    }

    protected override void ReleaseSaved() => _x = null;
}
