namespace Autograd.NN;

public static partial class Functional
{
    /// <summary>
    /// log-softmax over the last dimension: <c>yᵢ = xᵢ − log Σⱼ e^(xⱼ)</c>. (PyTorch's implicit dimension is deprecated
    /// and depends on the rank; this overload always takes the last one.)
    /// </summary>
    public static Tensor LogSoftmax(Tensor input) => Tensor.LogSoftmax(input, -1);

    /// <summary>log-softmax over <paramref name="dim"/>: <c>yᵢ = xᵢ − log Σⱼ e^(xⱼ)</c>, computed stably.</summary>
    /// <param name="input">The logits.</param>
    /// <param name="dim">The dimension the probabilities sum to 1 along.</param>
    /// <param name="dtype">When given, the input is cast to it first.</param>
    public static Tensor LogSoftmax(Tensor input, int dim, DType? dtype = null) => Tensor.LogSoftmax(input, dim, dtype);

    /// <summary>softmax over <paramref name="dim"/>: <c>yᵢ = e^(xᵢ) / Σⱼ e^(xⱼ)</c>, computed stably.</summary>
    /// <param name="input">The logits.</param>
    /// <param name="dim">The dimension the result sums to 1 along.</param>
    /// <param name="dtype">When given, the input is cast to it first.</param>
    public static Tensor Softmax(Tensor input, int dim, DType? dtype = null) => Tensor.Softmax(input, dim, dtype);

    /// <summary>Element-wise <c>x &gt; 0 ? x : negativeSlope·x</c>; the gradient at 0 is the slope, as PyTorch's.</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => Tensor.LeakyRelu(input, negativeSlope);

    /// <summary>Element-wise <c>x &gt; 0 ? x : α(eˣ − 1)</c>.</summary>
    public static Tensor Elu(Tensor input, double alpha = 1.0) => Tensor.Elu(input, alpha, 1, 1);

    /// <summary>
    /// Element-wise <c>λ·(x &gt; 0 ? x : α(eˣ − 1))</c> with α = 1.6732632423543772 and λ = 1.0507009873554805
    /// (self-normalising networks).
    /// </summary>
    public static Tensor Selu(Tensor input) => Tensor.Elu(input, Tensor.SeluAlpha, Tensor.SeluScale, 1);

    /// <summary>Element-wise <c>max(0, x) + min(0, α(e^(x/α) − 1))</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is 0.</exception>
    public static Tensor Celu(Tensor input, double alpha = 1.0) => alpha == 0
        ? throw new ArgumentException("ZeroDivisionError: alpha cannot be 0 for CELU", nameof(alpha))
        : Tensor.Elu(input, alpha, 1, 1 / alpha);

    /// <summary>
    /// Element-wise GELU, <c>x·Φ(x) = x/2 · (1 + erf(x/√2))</c> with <paramref name="approximate"/> "none", or
    /// <c>x/2 · (1 + tanh(√(2/π)(x + 0.044715x³)))</c> with "tanh".
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="approximate"/> is neither "none" nor "tanh".</exception>
    public static Tensor Gelu(Tensor input, string approximate = "none") => Tensor.Gelu(input, approximate);

    /// <summary>Element-wise SiLU (swish): <c>x·σ(x)</c>.</summary>
    public static Tensor Silu(Tensor input) => Tensor.Silu(input);

    /// <summary>Element-wise Mish: <c>x·tanh(log(1 + eˣ))</c>.</summary>
    public static Tensor Mish(Tensor input) => Tensor.Mish(input);

    /// <summary>Element-wise <c>log(1 + e^(βx))/β</c>, and x itself where <c>βx &gt; threshold</c>.</summary>
    public static Tensor Softplus(Tensor input, double beta = 1.0, double threshold = 20.0) => Tensor.Softplus(input, beta, threshold);

    /// <summary>Element-wise <c>x / (1 + |x|)</c>.</summary>
    public static Tensor Softsign(Tensor input) => Tensor.Softsign(input);

    /// <summary>
    /// Element-wise clamp to [<paramref name="minVal"/>, <paramref name="maxVal"/>]; the gradient passes strictly inside
    /// the bounds. Integer tensors keep their dtype.
    /// </summary>
    public static Tensor Hardtanh(Tensor input, double minVal = -1.0, double maxVal = 1.0) => Tensor.Hardtanh(input, minVal, maxVal);

    /// <summary>Element-wise <c>min(max(x, 0), 6)</c>: hardtanh(x, 0, 6).</summary>
    public static Tensor Relu6(Tensor input) => Tensor.Hardtanh(input, 0, 6);

    /// <summary>Element-wise <c>min(max(x + 3, 0), 6) / 6</c>.</summary>
    public static Tensor Hardsigmoid(Tensor input) => Tensor.Hardsigmoid(input);

    /// <summary>Element-wise <c>x·min(max(x + 3, 0), 6) / 6</c>.</summary>
    public static Tensor Hardswish(Tensor input) => Tensor.Hardswish(input);

    /// <summary>Element-wise <c>log σ(x) = −log(1 + e⁻ˣ)</c>, computed without overflow.</summary>
    public static Tensor LogSigmoid(Tensor input) => Tensor.LogSigmoid(input);

    /// <summary>
    /// Gated linear unit: <c>a ⊙ σ(b)</c> with a and b the halves of <paramref name="input"/> along
    /// <paramref name="dim"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The input is 0-d or the dimension's size is odd.</exception>
    public static Tensor Glu(Tensor input, int dim = -1) => Tensor.Glu(input, dim);

    /// <summary>Element-wise <c>x − tanh x</c>.</summary>
    public static Tensor Tanhshrink(Tensor input) => Tensor.Tanhshrink(input);

    /// <summary>Element-wise <c>x &gt; λ ? x − λ : x &lt; −λ ? x + λ : 0</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="lambd"/> is negative.</exception>
    public static Tensor Softshrink(Tensor input, double lambd = 0.5) => Tensor.Softshrink(input, lambd);

    /// <summary>Element-wise <c>−λ ≤ x ≤ λ ? 0 : x</c>.</summary>
    public static Tensor Hardshrink(Tensor input, double lambd = 0.5) => Tensor.Hardshrink(input, lambd);
}
