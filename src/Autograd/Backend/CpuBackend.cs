using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

/// <summary>
/// The CPU's compute: each primitive of <see cref="IBackend"/> picks the span-in/span-out kernels of
/// <see cref="Kernels"/> for the operands' dtypes and layouts, and rents output storage from <see cref="BufferPool"/>.
/// One instance, <see cref="Instance"/>, serves every CPU tensor.
/// </summary>
internal sealed partial class CpuBackend : IBackend
{
    private CpuBackend()
    {
    }

    /// <summary>The CPU backend.</summary>
    internal static CpuBackend Instance { get; } = new();

    /// <inheritdoc/>
    public Device Device => Device.Cpu;

    /// <inheritdoc/>
    public Tensor Empty(int[] shape) => new(BufferPool.RentUninitialized(Shape.ElementCountOf(shape)), shape);

    /// <inheritdoc/>
    public Tensor Zeros(int[] shape) => new(BufferPool.RentZeroed(Shape.ElementCountOf(shape)), shape);

    /// <summary>
    /// A CPU array for a new tensor's storage: pooled floats for float32 (the tuned path), else a fresh array of the
    /// dtype's storage type (zeroed either way when <paramref name="zeroed"/>). For the op files that still fill CPU
    /// arrays themselves (joining), so that they too leave pooling to the backend.
    /// </summary>
    internal static Array Storage(DType dtype, int count, bool zeroed) =>
        dtype != DType.Float32 ? dtype.NewArray(count)
        : zeroed ? BufferPool.RentZeroed(count) : BufferPool.RentUninitialized(count);

    /// <inheritdoc/>
    public Tensor Binary(BinaryOp op, Tensor a, Tensor b) => op switch
    {
        BinaryOp.Add => Elementwise.Binary<AddOperator>(a, b),
        BinaryOp.Subtract => Elementwise.Binary<SubtractOperator>(a, b),
        BinaryOp.Multiply => Elementwise.Binary<MultiplyOperator>(a, b),
        BinaryOp.Divide => Elementwise.Binary<DivideOperator>(a, b),
        BinaryOp.FloorDivide => TypedElementwise.Binary<TypedFloorDivide>(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <inheritdoc/>
    public Tensor BinaryScalar(BinaryOp op, Tensor x, float scalar, bool scalarFirst) => op switch
    {
        BinaryOp.Add => Elementwise.BinaryScalar<AddOperator>(x, scalar, scalarFirst),
        BinaryOp.Subtract => Elementwise.BinaryScalar<SubtractOperator>(x, scalar, scalarFirst),
        BinaryOp.Multiply => Elementwise.BinaryScalar<MultiplyOperator>(x, scalar, scalarFirst),
        BinaryOp.Divide => Elementwise.BinaryScalar<DivideOperator>(x, scalar, scalarFirst),
        BinaryOp.FloorDivide => TypedElementwise.BinaryScalar<TypedFloorDivide>(x, scalar, scalarIsFloatingPoint: true, scalarFirst),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <inheritdoc/>
    public Tensor BinaryScalar(BinaryOp op, Tensor x, double scalar, bool scalarIsFloatingPoint, bool scalarFirst) => op switch
    {
        BinaryOp.Add => Elementwise.TypedScalar<AddOperator>(x, scalar, scalarIsFloatingPoint, scalarFirst),
        BinaryOp.Subtract => Elementwise.TypedScalar<SubtractOperator>(x, scalar, scalarIsFloatingPoint, scalarFirst),
        BinaryOp.Multiply => Elementwise.TypedScalar<MultiplyOperator>(x, scalar, scalarIsFloatingPoint, scalarFirst),
        BinaryOp.Divide => Elementwise.TypedScalar<DivideOperator>(x, scalar, scalarIsFloatingPoint, scalarFirst),
        BinaryOp.FloorDivide => TypedElementwise.BinaryScalar<TypedFloorDivide>(x, scalar, scalarIsFloatingPoint, scalarFirst),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <inheritdoc/>
    public Tensor Unary(UnaryOp op, Tensor x)
    {
        bool float32 = x._dtype == DType.Float32;
        switch (op)
        {
            case UnaryOp.Negate:
                return float32
                    ? Elementwise.Map(x, TensorPrimitives.Negate)
                    : Elementwise.TypedScalar<MultiplyOperator>(x, -1, scalarIsFloatingPoint: false, scalarFirst: false);

            // VectorMath, not TensorPrimitives: at least as accurate and exp(0) is exactly 1, and as fast or faster (ours vs TensorPrimitives,
            // BenchmarkDotNet short runs on 2 shared cores: 1K 199/419 ns vs 302/410 ns, 64K 23.7/17.2 µs vs 17.8/25.2 µs, 4M 1.00/0.86 ms vs 1.37/1.69 ms; benchmarks/VECTOR_MATH.md).
            case UnaryOp.Exp:
                return float32 ? Elementwise.Map(x, VectorMath.Exp) : TypedUnary.Floating(x, "exp_vml_cpu", VectorMath.Exp, TensorPrimitives.Exp);

            // TensorPrimitives, not VectorMath.Log: ours is more accurate (0.77 vs 2.13 ulp max) but was not at least as fast
            // (BenchmarkDotNet short runs, 2 shared cores: 1K 332/568 ns vs 315/526 ns; 64K 24.9/19.4 µs vs 21.4/23.5 µs;
            // 4M 1.48/1.73 ms vs 1.33/0.88 ms; benchmarks/VECTOR_MATH.md).
            case UnaryOp.Log:
                return float32 ? Elementwise.Map(x, TensorPrimitives.Log) : TypedUnary.Floating(x, "log_vml_cpu", TensorPrimitives.Log, TensorPrimitives.Log);

            // VectorMath, not TensorPrimitives: at least as accurate, and as fast or faster (ours vs TensorPrimitives,
            // BenchmarkDotNet short runs on 2 shared cores: 1K 1.11 vs 1.75 µs, 64K 55 vs 89 µs, 4M 4.4 vs 9.4 ms; benchmarks/VECTOR_MATH.md).
            case UnaryOp.Sin:
                return float32 ? Elementwise.Map(x, VectorMath.Sin) : TypedUnary.Floating(x, "sin_vml_cpu", VectorMath.Sin, TensorPrimitives.Sin);

            // VectorMath, not TensorPrimitives: at least as accurate, and as fast or faster (ours vs TensorPrimitives,
            // BenchmarkDotNet short runs on 2 shared cores: 1K 0.93 vs 1.17 µs, 64K 72 vs 76 µs, 4M 3.2 vs 7.0 ms; benchmarks/VECTOR_MATH.md).
            case UnaryOp.Cos:
                return float32 ? Elementwise.Map(x, VectorMath.Cos) : TypedUnary.Floating(x, "cos_vml_cpu", VectorMath.Cos, TensorPrimitives.Cos);

            // VectorMath, not TensorPrimitives, for correctness: TensorPrimitives 10.0.0 gives tanh(0) = −5.96e−8 on its
            // vector path, where PyTorch gives 0; ours (in double, 0.50 ulp) gives exactly ±0 and ±1. It costs about 2×:
            // 1K 2.06 vs 1.03 µs, 64K 79 vs 37 µs, 4M 8.4 vs 3.2 ms (benchmarks/VECTOR_MATH.md).
            case UnaryOp.Tanh:
                return float32 ? Elementwise.Map(x, VectorMath.Tanh) : TypedUnary.Floating(x, "tanh_vml_cpu", VectorMath.Tanh, TensorPrimitives.Tanh);

            // TensorPrimitives, not VectorMath.Sigmoid: ours (in double, 0.50 ulp; TensorPrimitives flushes subnormal
            // results) measured slower: 1K 919 vs 615 ns, 64K 53.4 vs 31.6 µs, 4M 2.84 vs 2.72 ms (benchmarks/VECTOR_MATH.md).
            case UnaryOp.Sigmoid:
                return float32 ? Elementwise.Map(x, Sigmoid32) : TypedUnary.Floating(x, "sigmoid_cpu", Sigmoid32, Sigmoid64);

            case UnaryOp.Relu:
                return x._dtype switch
                {
                    DType.Float32 => Elementwise.Map(x, Activations.Relu),
                    DType.Int64 => TypedUnary.ReluInteger<long>(x),
                    DType.Int32 => TypedUnary.ReluInteger<int>(x),
                    DType.Bool => throw new InvalidOperationException("Boolean inputs not supported for relu"),
                    _ => TypedUnary.Floating(x, "clamp_min_cpu", Activations.Relu, TypedUnary.Relu),
                };

            // The step mask in x's dtype, computed in float32 for float16 and bfloat16 (exactly: it is 0 or 1).
            case UnaryOp.ReluStep:
                return float32
                    ? Elementwise.Map(x, Activations.Step)
                    : x._dtype == DType.Float64
                        ? TypedUnary.Map64(x, TypedUnary.Step)
                        : Elementwise.Map(x.ConvertedTo(DType.Float32), Activations.Step).ConvertedTo(x._dtype);

            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    /// <summary>(TensorPrimitives.Sigmoid throws on empty spans, unlike its other functions.)</summary>
    private static void Sigmoid32(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (!source.IsEmpty)
        {
            TensorPrimitives.Sigmoid(source, destination);
        }
    }

    private static void Sigmoid64(ReadOnlySpan<double> source, Span<double> destination)
    {
        if (!source.IsEmpty)
        {
            TensorPrimitives.Sigmoid(source, destination);
        }
    }

    /// <inheritdoc/>
    public Tensor? FusedUnaryBackward(UnaryOp op, Tensor grad, Tensor saved)
    {
        if (!Elementwise.CanFuse(grad, saved))
        {
            return null;
        }

        return op switch
        {
            UnaryOp.Sigmoid => Elementwise.Map(grad, saved, FusedBackward.Sigmoid),
            UnaryOp.Tanh => Elementwise.Map(grad, saved, FusedBackward.Tanh),
            UnaryOp.Relu => Elementwise.Map(grad, saved, FusedBackward.Relu),
            UnaryOp.Sin => Elementwise.Map(grad, saved, FusedBackward.Sin),
            UnaryOp.Cos => Elementwise.Map(grad, saved, FusedBackward.Cos),
            _ => null,
        };
    }

    /// <inheritdoc/>
    public Tensor Pow(Tensor x, double exponent)
    {
        switch (x._dtype)
        {
            case DType.Float32:
                Tensor output = Empty(x._shape);
                Powers.Pow(x.ContiguousData(), (float)exponent, output.AsSpan());
                return output;
            case DType.Float64:
                return TypedUnary.Map64(x, (source, destination) => TypedUnary.Pow(source, exponent, destination));
            case DType.Float16:
            case DType.BFloat16:
                return Pow(x.ConvertedTo(DType.Float32), (float)exponent).ConvertedTo(x._dtype);
            default:
                // A floating exponent lifts integers and bools to the default float (PyTorch: int64 ** 2.0 is float32).
                return Pow(x.ConvertedTo(DType.Float32), (float)exponent);
        }
    }

    /// <inheritdoc/>
    public Tensor SumTo(Tensor x, int[] shape) => x._dtype == DType.Float32
        ? new Tensor(Broadcast.SumTo(x, shape), shape)
        : TypedReduction.SumTo(x, shape, x._dtype);
}
