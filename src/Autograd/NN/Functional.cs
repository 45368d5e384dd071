namespace Autograd.NN;

/// <summary>Stateless neural-network functions (PyTorch's <c>torch.nn.functional</c>).</summary>
public static partial class Functional
{
    /// <summary>Element-wise max(x, 0).</summary>
    public static Tensor Relu(Tensor input) => Tensor.Relu(input);

    /// <summary>Element-wise logistic function.</summary>
    public static Tensor Sigmoid(Tensor input) => Tensor.Sigmoid(input);

    /// <summary>Element-wise hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor input) => Tensor.Tanh(input);

    /// <summary>
    /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> and scales the rest
    /// by 1/(1-p); the identity otherwise.
    /// </summary>
    public static Tensor Dropout(Tensor input, float p = 0.5f, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p is < 0f or > 1f || float.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");
        }

        if (!training || p == 0f)
        {
            return input;
        }

        if (p == 1f)
        {
            return input * 0f;
        }

        Tensor mask = Tensor.Rand(input.Shape, generator: generator);
        float[] keep = mask.ToArray();
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] = keep[i] >= p ? 1f / (1f - p) : 0f;
        }

        return input * Tensor.From(keep, input.Shape);
    }
}
