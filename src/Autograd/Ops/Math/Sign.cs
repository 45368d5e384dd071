using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// sign x ∈ {−1, 0, 1} element-wise; ±0 and NaN give 0, as PyTorch 1.13's CPU kernel. Integer tensors keep their
    /// dtype, a bool one is returned as a copy (sign of true is true). Its gradient is zero everywhere.
    /// </summary>
    public static Tensor Sign(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = SignValues(x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ZeroGradientBackward(x, "SignBackward")) : output;
    }

    /// <inheritdoc cref="Sign(Tensor)"/>
    public Tensor Sign() => Sign(this);

    /// <summary>
    /// PyTorch's <c>sgn</c>: x/|x| (0 at 0), the same values as <see cref="Sign(Tensor)"/> for real tensors. Its
    /// gradient is PyTorch's complex-aware formula, which is zero for real x ≠ 0 (NaN at NaN).
    /// </summary>
    public static Tensor Sgn(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = SignValues(x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SgnBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Sgn(Tensor)"/>
    public Tensor Sgn() => Sgn(this);

    private static Tensor SignValues(Tensor x) => x._dtype switch
    {
        DType.Bool => x.Clone(),
        DType.Int64 or DType.Int32 => MathKernels.SignInteger(x),
        _ => MathKernels.Floating(x, MathKernels.Sign, MathKernels.Sign),
    };
}

/// <summary>
/// <c>out = sgn x</c>: ∂L/∂x = 0 where |x| = 0, else g/|x| − (out/|x|)·(g·out) (PyTorch's sgn_backward restricted to
/// real numbers, where it is zero up to rounding; kept in this form so NaN and double backward behave as PyTorch's).
/// </summary>
internal sealed class SgnBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x), output = Saved(_output);
        Tensor abs = Tensor.Abs(x);
        return [Tensor.Where(Tensor.Eq(abs, 0.0), 0.0, (grad / abs) - ((output / abs) * (grad * output)))];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
