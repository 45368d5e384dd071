using System.Runtime.CompilerServices;

namespace Autograd;

/// <summary>Helpers shared by the indexing ops (index_select, gather, scatter, index_add, index_put, take, x[tensor]).</summary>
internal static class IndexingCommon
{
    /// <summary>A fresh tensor over <paramref name="storage"/> of <paramref name="dtype"/>'s storage type.</summary>
    internal static Tensor Wrap(Array storage, DType dtype, int[] shape) =>
        dtype == DType.Float32 ? new Tensor(Unsafe.As<float[]>(storage), shape) : new Tensor(storage, dtype, shape);

    /// <summary>A fresh row-major copy of <paramref name="t"/> (any dtype) that nothing else shares; records nothing.</summary>
    internal static Tensor FreshCopy(Tensor t)
    {
        Array storage = t._dtype.NewArray(t._count);
        Kernels.Conversion.CopyStrided(t.Storage, t._offset, t._shape, Joining.StridesOf(t), storage);
        return Wrap(storage, t._dtype, t._shape);
    }

    /// <summary>The storage offsets of <paramref name="t"/>'s elements in row-major order, read as <paramref name="shape"/> (broadcast).</summary>
    internal static int[] OffsetsAs(Tensor t, int[] shape) =>
        Kernels.Indexing.StridedOffsets(shape, Kernels.Broadcast.StridesAs(t, shape), t._offset);

    /// <summary>The product of <paramref name="shape"/>[from..to).</summary>
    internal static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        int p = 1;
        for (int d = from; d < to; d++)
        {
            p *= shape[d];
        }

        return p;
    }

    /// <summary>PyTorch's "expected index smaller than self" checks of gather/scatter (index of the same rank).</summary>
    internal static void CheckSameRank(Tensor self, Tensor index, string selfWord)
    {
        if (index.Rank != self.Rank && !(index.Rank <= 1 && self.Rank <= 1))
        {
            throw new ArgumentException($"Index tensor must have the same number of dimensions as {selfWord} tensor", nameof(index));
        }
    }

    /// <summary>The first entry of <paramref name="values"/> outside a dimension of <paramref name="size"/>, as PyTorch's message.</summary>
    internal static void CheckBounds(ReadOnlySpan<long> values, int size, int dim, bool wrap, string paramName)
    {
        int bad = Kernels.Indexing.FindInvalid(values, size, wrap);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, $"index {values[bad]} is out of bounds for dimension {dim} with size {size}");
        }
    }
}
