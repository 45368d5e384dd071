namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise <c>min(max(x + 3, 0), 6) / 6</c> (PyTorch's hardsigmoid).</summary>
    internal static Tensor Hardsigmoid(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Hardsigmoid, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new HardsigmoidBackward(x)) : output;
    }
}

/// <summary>
/// <c>out = clamp(x + 3, 0, 6)/6</c>: ∂L/∂x = −3 &lt; x &lt; 3 ? g·⅙ : 0 (PyTorch's hardsigmoid_backward; NaN gives 0). ⅙ is
/// PyTorch's float32 constant 1f/6f in every dtype, so float64 gradients match its to the last bit.
/// </summary>
internal sealed class HardsigmoidBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [Tensor.Where((x > -3.0) & (x < 3.0), grad * (double)(1f / 6f), 0.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
