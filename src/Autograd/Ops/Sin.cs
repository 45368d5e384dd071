using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise sine.</summary>
    public static Tensor Sin(Tensor x)
    {
        // VectorMath, not TensorPrimitives: at least as accurate, and as fast or faster (ours vs TensorPrimitives,
        // BenchmarkDotNet short runs on 2 shared cores: 1K 1.11 vs 1.75 µs, 64K 55 vs 89 µs, 4M 4.4 vs 9.4 ms; benchmarks/VECTOR_MATH.md).
        Tensor output = x._dtype == DType.Float32
            ? Elementwise.Map(x, VectorMath.Sin)
            : TypedUnary.Floating(x, "sin_vml_cpu", VectorMath.Sin, TensorPrimitives.Sin);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SinBackward(x)) : output;
    }

    /// <inheritdoc cref="Sin(Tensor)"/>
    public Tensor Sin() => Sin(this);
}

/// <summary><c>out = sin x</c>: ∂L/∂x = g ⊙ cos x.</summary>
internal sealed class SinBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return Elementwise.CanFuse(grad, x) ? [Elementwise.Map(grad, x, FusedBackward.Sin)] : [grad * Tensor.Cos(x)];
    }

    protected override void ReleaseSaved() => _x = null;
}
