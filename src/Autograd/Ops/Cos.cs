using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise cosine.</summary>
    public static Tensor Cos(Tensor x)
    {
        // VectorMath, not TensorPrimitives: at least as accurate, and as fast or faster (ours vs TensorPrimitives,
        // BenchmarkDotNet short runs on 2 shared cores: 1K 0.93 vs 1.17 µs, 64K 72 vs 76 µs, 4M 3.2 vs 7.0 ms; benchmarks/VECTOR_MATH.md).
        Tensor output = x._dtype == DType.Float32
            ? Elementwise.Map(x, VectorMath.Cos)
            : TypedUnary.Floating(x, "cos_vml_cpu", VectorMath.Cos, TensorPrimitives.Cos);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new CosBackward(x)) : output;
    }

    /// <inheritdoc cref="Cos(Tensor)"/>
    public Tensor Cos() => Cos(this);
}

/// <summary><c>out = cos x</c>: ∂L/∂x = -g ⊙ sin x.</summary>
internal sealed class CosBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return Elementwise.CanFuse(grad, x) ? [Elementwise.Map(grad, x, FusedBackward.Cos)] : [-(grad * Tensor.Sin(x))];
    }

    protected override void ReleaseSaved() => _x = null;
}
