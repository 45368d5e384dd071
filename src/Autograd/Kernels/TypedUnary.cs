using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>A span-in, span-out float64 kernel such as <c>TensorPrimitives.Exp&lt;double&gt;</c>.</summary>
internal delegate void SpanMap64(ReadOnlySpan<double> x, Span<double> destination);

/// <summary>
/// Unary element-wise ops on tensors that are not float32 (the float32 paths have their own, tuned kernels), with
/// PyTorch 1.13's CPU dtype rules.
/// </summary>
internal static class TypedUnary
{
    /// <summary>
    /// A floating op (exp, log, sin…) on a tensor that is not float32: float64 runs <paramref name="float64"/> on
    /// doubles; bfloat16 (and float16 unless <paramref name="halfKernel"/> is null, PyTorch's CPU refusing it) runs the
    /// float32 kernel and rounds once, as PyTorch's CPU kernels do; integers and bools are promoted to the default
    /// float, float32, as PyTorch's unary float ops promote them.
    /// </summary>
    /// <param name="x">The input, of any dtype but float32.</param>
    /// <param name="halfKernel">PyTorch's kernel name in its "not implemented for 'Half'" error, or null when it takes float16.</param>
    /// <param name="float32">The float32 kernel, for float16, bfloat16 and integer inputs.</param>
    /// <param name="float64">The float64 kernel.</param>
    internal static Tensor Floating(Tensor x, string? halfKernel, SpanMap float32, SpanMap64 float64)
    {
        switch (x._dtype)
        {
            case DType.Float64:
                return Map64(x, float64);
            case DType.Float16 when halfKernel is not null:
                throw Tensor.NotImplementedFor(DType.Float16, halfKernel);
            case DType.Float16:
            case DType.BFloat16:
                return Elementwise.Map(x.ConvertedTo(DType.Float32), float32).ConvertedTo(x._dtype);
            default:
                return Elementwise.Map(x.ConvertedTo(DType.Float32), float32);
        }
    }

    /// <summary>Applies a float64 kernel to every element of a float64 tensor, into a new contiguous tensor.</summary>
    internal static Tensor Map64(Tensor x, SpanMap64 kernel)
    {
        double[] source = TypedElementwise.Operand<double>(x, DType.Float64, x._shape);
        var result = new double[source.Length];
        kernel(source, result);
        return new Tensor(result, DType.Float64, x._shape);
    }

    /// <summary>max(x, 0) keeping an integer tensor's dtype (PyTorch's relu of integers).</summary>
    internal static Tensor ReluInteger<T>(Tensor x)
        where T : unmanaged, INumber<T>
    {
        T[] source = TypedElementwise.Operand<T>(x, x._dtype, x._shape);
        var result = new T[source.Length];
        TensorPrimitives.Max(source, T.Zero, result);
        return new Tensor(result, x._dtype, x._shape);
    }

    /// <summary>destination = x &gt; 0 ? 1 : 0 in float64 (NaN maps to 0): relu's step mask.</summary>
    internal static void Step(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = x[i] <= 0 ? 0 : 1;   // NaN gives 1, as PyTorch's threshold_backward
        }
    }

    /// <summary>destination = max(x, 0) in float64; NaN stays NaN, as PyTorch's clamp_min keeps it.</summary>
    internal static void Relu(ReadOnlySpan<double> x, Span<double> destination) => TensorPrimitives.Max(x, 0.0, destination);

    /// <summary>destination = xᵖ in float64, with the exact special cases of <see cref="Powers.Pow"/>.</summary>
    internal static void Pow(ReadOnlySpan<double> x, double exponent, Span<double> destination)
    {
        switch (exponent)
        {
            case 0:
                destination[..x.Length].Fill(1);
                break;
            case 1:
                x.CopyTo(destination);
                break;
            case 2:
                TensorPrimitives.Multiply(x, x, destination);
                break;
            case 3:
                TensorPrimitives.Multiply(x, x, destination);
                TensorPrimitives.Multiply(destination, x, destination);
                break;
            case 0.5:
                TensorPrimitives.Sqrt(x, destination);
                break;
            case -1:
                TensorPrimitives.Reciprocal(x, destination);
                break;
            default:
                for (int i = 0; i < x.Length; i++)
                {
                    destination[i] = Math.Pow(x[i], exponent);
                }

                break;
        }
    }
}
