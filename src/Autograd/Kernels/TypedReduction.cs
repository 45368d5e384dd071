using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>Sums over tensors of any numeric dtype (the float32 paths have their own, tuned kernels).</summary>
internal static class TypedReduction
{
    /// <summary>
    /// The dtype PyTorch's <c>sum</c> returns: integers and bools accumulate in int64, float16 and bfloat16 keep their
    /// type (accumulated in float32), the rest their own.
    /// </summary>
    internal static DType SumType(DType dtype) => dtype is DType.Bool or DType.Int32 or DType.Int64 ? DType.Int64 : dtype;

    /// <summary>Σ of all elements as a 0-d tensor of <see cref="SumType"/>.</summary>
    internal static Tensor SumAll(Tensor t) => SumTo(t, Shape.ScalarDims, SumType(t._dtype));

    /// <summary>Sums <paramref name="t"/> down to <paramref name="shape"/> (which it broadcasts from), as <paramref name="result"/>.</summary>
    internal static Tensor SumTo(Tensor t, int[] shape, DType result)
    {
        return result switch
        {
            DType.Float64 => Reduce<double>(t, shape, DType.Float64),
            DType.Int64 => Reduce<long>(t, shape, DType.Int64),
            DType.Int32 => Reduce<int>(t, shape, DType.Int32),
            DType.Float32 => Reduce<float>(t, shape, DType.Float32),
            DType.Float16 or DType.BFloat16 => Reduce<float>(t, shape, DType.Float32).ConvertedTo(result),
            _ => throw Tensor.NotImplementedFor(t._dtype, "sum"),
        };
    }

    private static Tensor Reduce<T>(Tensor t, int[] shape, DType dtype)
        where T : unmanaged, INumber<T>
    {
        T[] source = TypedElementwise.Operand<T>(t, dtype, t._shape);
        int count = Shape.ElementCountOf(shape);
        var output = new T[count];
        if (count == 1 && source.Length > 0)
        {
            output[0] = TensorPrimitives.Sum<T>(source);
        }
        else if (count > 0)
        {
            // Walk the source row-major; the destination index drops the summed dimensions (stride 0 there).
            int rank = t._shape.Length;
            int[] destStrides = Broadcasting.ExpandedStrides(shape, Shape.ContiguousStrides(shape), t._shape);
            Span<int> index = rank <= 16 ? stackalloc int[rank] : new int[rank];
            index.Clear();
            int at = 0;
            for (int i = 0; i < source.Length; i++)
            {
                output[at] += source[i];
                for (int d = rank - 1; d >= 0; d--)
                {
                    if (++index[d] < t._shape[d])
                    {
                        at += destStrides[d];
                        break;
                    }

                    at -= destStrides[d] * (t._shape[d] - 1);
                    index[d] = 0;
                }
            }
        }

        return dtype == DType.Float32 ? new Tensor((float[])(object)output, shape) : new Tensor(output, dtype, shape);
    }
}
