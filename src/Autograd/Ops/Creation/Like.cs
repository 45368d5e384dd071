namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// <paramref name="value"/> everywhere, with the shape of <paramref name="other"/> and its dtype unless
    /// <paramref name="dtype"/> is given (PyTorch's <c>torch.full_like</c>); an integer dtype truncates the value.
    /// </summary>
    public static Tensor FullLike(Tensor other, double value, DType? dtype = null, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        DType type = dtype ?? other._dtype;
        return Full(other._shape, type.IsFloatingPoint() || type == DType.Bool ? value : Math.Truncate(value), type, requiresGrad);
    }

    /// <summary>
    /// A new tensor of the given shape and dtype (PyTorch's <c>torch.empty</c>). PyTorch leaves the values
    /// unspecified; here they are zero.
    /// </summary>
    public static Tensor Empty(ReadOnlySpan<int> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Zeros(shape, dtype, requiresGrad);

    /// <summary>
    /// A new tensor with the shape of <paramref name="other"/> and its dtype unless <paramref name="dtype"/> is given
    /// (PyTorch's <c>torch.empty_like</c>); the values, unspecified in PyTorch, are zero here.
    /// </summary>
    public static Tensor EmptyLike(Tensor other, DType? dtype = null, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Zeros(other._shape, dtype ?? other._dtype, requiresGrad);
    }

    /// <summary>
    /// Uniform samples in [0, 1) with the shape of <paramref name="other"/> and its dtype unless
    /// <paramref name="dtype"/> is given (PyTorch's <c>torch.rand_like</c>); the dtype must be floating.
    /// </summary>
    public static Tensor RandLike(Tensor other, DType? dtype = null, bool requiresGrad = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        DType type = dtype ?? other._dtype;
        RequireFloatingForRandom(type, "check_uniform_bounds");
        return Rand(other._shape, type, requiresGrad, generator);
    }

    /// <summary>
    /// Standard normal samples with the shape of <paramref name="other"/> and its dtype unless
    /// <paramref name="dtype"/> is given (PyTorch's <c>torch.randn_like</c>); the dtype must be floating.
    /// </summary>
    public static Tensor RandnLike(Tensor other, DType? dtype = null, bool requiresGrad = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Randn(other._shape, dtype ?? other._dtype, requiresGrad, generator);
    }

    /// <summary>
    /// Uniform integers in [<paramref name="low"/>, <paramref name="high"/>) with the shape of <paramref name="other"/>
    /// and its dtype unless <paramref name="dtype"/> is given (PyTorch's <c>torch.randint_like</c>).
    /// </summary>
    public static Tensor RandintLike(Tensor other, long low, long high, DType? dtype = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Randint(low, high, other._shape, dtype ?? other._dtype, generator);
    }

    /// <summary>Uniform integers in [0, <paramref name="high"/>) shaped like <paramref name="other"/> (PyTorch's <c>torch.randint_like(x, high)</c>).</summary>
    public static Tensor RandintLike(Tensor other, long high, DType? dtype = null, Generator? generator = null) =>
        RandintLike(other, 0, high, dtype, generator);
}
