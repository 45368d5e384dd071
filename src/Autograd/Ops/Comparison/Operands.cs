using Autograd.Kernels;

namespace Autograd;

/// <summary>Reading tensors of any dtype as typed, broadcast spans for the comparison, logic and mask kernels.</summary>
internal static class Operands
{
    /// <summary>
    /// The elements of <paramref name="t"/> as <paramref name="dtype"/>, broadcast to <paramref name="shape"/>, row-major:
    /// the tensor's own storage when it already is exactly that (the caller keeps <paramref name="t"/> alive while it
    /// reads the span), else a converted, broadcast copy.
    /// </summary>
    internal static ReadOnlySpan<T> Read<T>(Tensor t, DType dtype, int[] shape) =>
        t._dtype == dtype && t._strides is null && t._shape.AsSpan().SequenceEqual(shape)
            ? new ReadOnlySpan<T>((T[])t.Storage, t._offset, t._count)
            : TypedElementwise.Operand<T>(t, dtype, shape);

    /// <summary>The elements of <paramref name="t"/> tested against zero (NaN is nonzero), broadcast to <paramref name="shape"/>.</summary>
    internal static ReadOnlySpan<bool> Truth(Tensor t, int[] shape) => Read<bool>(t, DType.Bool, shape);

    /// <summary>A tensor over a fresh array of <paramref name="dtype"/>'s storage type.</summary>
    internal static Tensor Fresh(Array storage, DType dtype, int[] shape) =>
        dtype == DType.Float32 ? new Tensor((float[])storage, shape) : new Tensor(storage, dtype, shape);

    /// <summary>A 0-d tensor holding <paramref name="value"/> converted to <paramref name="dtype"/>, exactly as PyTorch casts a wrapped integer (int64 to int32 keeps the low bits).</summary>
    internal static Tensor Scalar(long value, DType dtype) => new Tensor(new long[] { value }, DType.Int64, []).ConvertedTo(dtype);

    /// <summary>Whether this 0-d tensor is a stand-in for a C# number (or any single element read as a scalar).</summary>
    internal static bool IsScalar(Tensor t) => t.Rank == 0;

    /// <summary>Splits <paramref name="shape"/> around <paramref name="dim"/> into the sizes before, at and after it.</summary>
    internal static (int Outer, int Size, int Inner) Around(int[] shape, int dim)
    {
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++)
        {
            outer *= shape[d];
        }

        for (int d = dim + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        return (outer, shape.Length == 0 ? 1 : shape[dim], inner);
    }

    /// <summary><paramref name="shape"/> reduced over <paramref name="dim"/>: the dimension removed, or kept as 1.</summary>
    internal static int[] Reduced(int[] shape, int dim, bool keepDim)
    {
        if (shape.Length == 0)
        {
            return [];
        }

        if (keepDim)
        {
            int[] kept = (int[])shape.Clone();
            kept[dim] = 1;
            return kept;
        }

        return [.. shape[..dim], .. shape[(dim + 1)..]];
    }
}
