namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise <c>x / (1 + |x|)</c>, composed as PyTorch composes it (so integers give float32 through the
    /// division). |x| is written x·sgn(x) with sgn a constant, which gives abs's derivative sgn(x) (0 at 0) as PyTorch.
    /// </summary>
    internal static Tensor Softsign(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x._dtype == DType.Bool)
        {
            throw NotImplementedFor(DType.Bool, "abs_cpu");
        }

        Tensor sign = (x > 0L).To(x._dtype) - (x < 0L).To(x._dtype);
        return x / ((x * sign) + 1L);
    }
}
