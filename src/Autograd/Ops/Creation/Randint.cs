namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Uniform integers in [<paramref name="low"/>, <paramref name="high"/>), each value with probability
    /// 1/(high − low) (PyTorch's <c>torch.randint</c>); int64 unless <paramref name="dtype"/> says otherwise (a
    /// floating dtype holds the integers as floats).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is not below <paramref name="high"/>.</exception>
    public static Tensor Randint(long low, long high, ReadOnlySpan<int> shape, DType dtype = DType.Int64, Generator? generator = null)
    {
        if (low >= high)
        {
            throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}", nameof(high));
        }

        int[] dims = Autograd.Shape.Validate(shape);
        var values = new long[Autograd.Shape.ElementCountOf(dims)];
        Draw(generator, g => Kernels.Sampling.Randint(g, values, low, high));
        return From(values, dims).To(dtype);
    }

    /// <summary>Uniform integers in [0, <paramref name="high"/>) (PyTorch's <c>torch.randint(high, size)</c>).</summary>
    public static Tensor Randint(long high, ReadOnlySpan<int> shape, DType dtype = DType.Int64, Generator? generator = null) =>
        Randint(0, high, shape, dtype, generator);

    /// <summary>
    /// A uniformly random permutation of <c>0 … n−1</c> (PyTorch's <c>torch.randperm</c>), int64 unless
    /// <paramref name="dtype"/> says otherwise; every one of the n! orders is equally likely (Fisher–Yates).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is negative.</exception>
    public static Tensor RandPerm(int n, DType dtype = DType.Int64, Generator? generator = null)
    {
        if (n < 0)
        {
            throw new ArgumentException($"Trying to create tensor with negative dimension {n}: [{n}]", nameof(n));
        }

        if (dtype == DType.Bool)
        {
            throw NotImplementedFor(dtype, "randperm");
        }

        var values = new long[n];
        Draw(generator, g => Kernels.Sampling.Permutation(g, values));
        return From(values, [n]).To(dtype);
    }
}
