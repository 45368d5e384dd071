using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>Activation kernels that TensorPrimitives lacks.</summary>
internal static class Activations
{
    /// <summary>destination = max(x, 0).</summary>
    internal static void Relu(ReadOnlySpan<float> x, Span<float> destination) => TensorPrimitives.Max(x, 0f, destination);

    /// <summary>destination = x &gt; 0 ? 1 : 0 (NaN maps to 0).</summary>
    internal static void Step(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = x[i] <= 0f ? 0f : 1f;   // NaN gives 1: relu's gradient passes through NaN, as PyTorch's
        }
    }
}
