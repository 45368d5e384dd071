using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise logistic function σ(x) = 1 / (1 + e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        // TensorPrimitives, not VectorMath.Sigmoid: ours (in double, 0.50 ulp; TensorPrimitives flushes subnormal
        // results) measured slower: 1K 919 vs 615 ns, 64K 53.4 vs 31.6 µs, 4M 2.84 vs 2.72 ms (benchmarks/VECTOR_MATH.md).
        // (TensorPrimitives.Sigmoid throws on empty spans, unlike its other functions.)
        Tensor output = x._dtype == DType.Float32
            ? Elementwise.Map(x, Sigmoid32)
            : TypedUnary.Floating(x, "sigmoid_cpu", Sigmoid32, static (source, destination) =>
            {
                if (!source.IsEmpty)
                {
                    TensorPrimitives.Sigmoid(source, destination);
                }
            });
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SigmoidBackward(x, output)) : output;
    }

    private static void Sigmoid32(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (!source.IsEmpty)
        {
            TensorPrimitives.Sigmoid(source, destination);
        }
    }

    /// <inheritdoc cref="Sigmoid(Tensor)"/>
    public Tensor Sigmoid() => Sigmoid(this);
}

/// <summary><c>out = σ(x)</c>: ∂L/∂x = g ⊙ out ⊙ (1 - out) (the output is saved).</summary>
internal sealed class SigmoidBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor s = Saved(_output);
        return Elementwise.CanFuse(grad, s) ? [Elementwise.Map(grad, s, FusedBackward.Sigmoid)] : [grad * s * (1f - s)];
    }

    protected override void ReleaseSaved() => _output = null;
}
