using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise natural logarithm.</summary>
    public static Tensor Log(Tensor x)
    {
        // TensorPrimitives, not VectorMath.Log: ours is more accurate (0.77 vs 2.13 ulp max) but was not at least as fast
        // (BenchmarkDotNet short runs, 2 shared cores: 1K 332/568 ns vs 315/526 ns; 64K 24.9/19.4 µs vs 21.4/23.5 µs;
        // 4M 1.48/1.73 ms vs 1.33/0.88 ms; benchmarks/VECTOR_MATH.md).
        Tensor output = x._dtype == DType.Float32
            ? Elementwise.Map(x, TensorPrimitives.Log)
            : TypedUnary.Floating(x, "log_vml_cpu", TensorPrimitives.Log, TensorPrimitives.Log);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new LogBackward(x)) : output;
    }

    /// <inheritdoc cref="Log(Tensor)"/>
    public Tensor Log() => Log(this);
}

/// <summary><c>out = ln x</c>: ∂L/∂x = g / x.</summary>
internal sealed class LogBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad / Saved(_x)];

    protected override void ReleaseSaved() => _x = null;
}
