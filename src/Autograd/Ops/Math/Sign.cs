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
    /// PyTorch's <c>sgn</c>: x/|x| (0 at 0), the same values as <see cref="Sign(Tensor)"/> for real tensors, and like
    /// PyTorch's for real tensors its gradient is zero everywhere (NaN included).
    /// </summary>
    public static Tensor Sgn(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = SignValues(x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ZeroGradientBackward(x, "SgnBackward")) : output;
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
