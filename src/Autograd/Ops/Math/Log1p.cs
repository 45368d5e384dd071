using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>log(1 + x) element-wise, accurate for tiny x (PyTorch's <c>log1p</c>): −1 gives −∞, below −1 NaN. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Log1p(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, MathKernels.Log1p, MathKernels.Log1p);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new Log1pBackward(x)) : output;
    }

    /// <inheritdoc cref="Log1p(Tensor)"/>
    public Tensor Log1p() => Log1p(this);
}

/// <summary><c>out = log(1 + x)</c>: ∂L/∂x = g / (x + 1).</summary>
internal sealed class Log1pBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    /// <summary>PyTorch's name, with its capital P.</summary>
    public override string Name => "Log1PBackward";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad / (x + 1.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
