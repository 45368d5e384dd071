using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>Power with a constant exponent.</summary>
internal static class Powers
{
    /// <summary>
    /// destination = xᵖ. The common small integer and half-integer exponents use exact products, square roots and
    /// reciprocals (as PyTorch does), which are faster than and at least as accurate as the general pow.
    /// </summary>
    internal static void Pow(ReadOnlySpan<float> x, float exponent, Span<float> destination)
    {
        switch (exponent)
        {
            case 0f:
                destination[..x.Length].Fill(1f);
                break;
            case 1f:
                x.CopyTo(destination);
                break;
            case 2f:
                TensorPrimitives.Multiply(x, x, destination);
                break;
            case 3f:
                TensorPrimitives.Multiply(x, x, destination);
                TensorPrimitives.Multiply(destination, x, destination);
                break;
            case 0.5f:
                TensorPrimitives.Sqrt(x, destination);
                break;
            case -0.5f:
                TensorPrimitives.ReciprocalSqrt(x, destination);
                break;
            case -1f:
                TensorPrimitives.Reciprocal(x, destination);
                break;
            case -2f:
                TensorPrimitives.Multiply(x, x, destination);
                TensorPrimitives.Reciprocal(destination, destination);
                break;
            default:
                TensorPrimitives.Pow(x, exponent, destination);
                break;
        }
    }
}
