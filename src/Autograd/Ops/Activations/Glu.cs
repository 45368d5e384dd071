namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Gated linear unit: with a and b the first and second halves of <paramref name="x"/> along
    /// <paramref name="dim"/>, <c>a ⊙ σ(b)</c>. Composed of narrow, sigmoid and multiply, which give the gradients.
    /// </summary>
    /// <exception cref="ArgumentException">x is 0-d, or the dimension's size is odd.</exception>
    internal static Tensor Glu(Tensor x, int dim)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
        {
            throw new ArgumentException("glu does not support scalars because halving size must be even", nameof(x));
        }

        int d = Autograd.Shape.NormalizeDim(dim, x.Rank);
        int size = x._shape[d];
        if (size % 2 != 0)
        {
            throw new ArgumentException($"Halving dimension must be even, but dimension {d} is size {size}", nameof(dim));
        }

        if (x._dtype is not (DType.Float32 or DType.Float64 or DType.BFloat16))
        {
            throw NotImplementedFor(x._dtype, "glu_cpu");
        }

        int half = size / 2;
        return x.Narrow(d, 0, half) * Sigmoid(x.Narrow(d, half, half));
    }
}
