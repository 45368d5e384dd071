using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x)
    {
        // VectorMath, not TensorPrimitives, for correctness: TensorPrimitives 10.0.0 gives tanh(0) = −5.96e−8 on its
        // vector path, where PyTorch gives 0; ours (in double, 0.50 ulp) gives exactly ±0 and ±1. It costs about 2×:
        // 1K 2.06 vs 1.03 µs, 64K 79 vs 37 µs, 4M 8.4 vs 3.2 ms (benchmarks/VECTOR_MATH.md).
        Tensor output = x._dtype == DType.Float32
            ? Elementwise.Map(x, VectorMath.Tanh)
            : TypedUnary.Floating(x, "tanh_vml_cpu", VectorMath.Tanh, TensorPrimitives.Tanh);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new TanhBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Tanh(Tensor)"/>
    public Tensor Tanh() => Tanh(this);
}

/// <summary><c>out = tanh x</c>: ∂L/∂x = g ⊙ (1 − out²) (the output is saved, not x).</summary>
internal sealed class TanhBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor t = Saved(_output);
        return Elementwise.CanFuse(grad, t) ? [Elementwise.Map(grad, t, FusedBackward.Tanh)] : [grad * (1f - (t * t))];
    }

    protected override void ReleaseSaved() => _output = null;
}
