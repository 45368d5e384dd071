using System.Numerics;

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

    /// <summary>
    /// Σ over the dimensions <paramref name="shape"/> broadcasts along (the leading ones it lacks and those where it is 1),
    /// through <see cref="AxisReduction"/>: whole rows go to TensorPrimitives.Sum (inner dimensions) or Add (outer ones).
    /// </summary>
    private static Tensor Reduce<T>(Tensor t, int[] shape, DType dtype)
        where T : unmanaged, INumber<T>
    {
        int lead = t._shape.Length - shape.Length;
        var dims = new List<int>();
        for (int d = 0; d < t._shape.Length; d++)
        {
            if (d < lead || (shape[d - lead] == 1 && t._shape[d] != 1))
            {
                dims.Add(d);
            }
        }

        ReductionPlan plan = AxisReduction.Plan(t._shape, [.. dims], all: false);
        return AxisReduction.Values(t, plan, ReduceKind.Sum, dtype, shape);
    }
}
