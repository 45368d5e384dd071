using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>Receives one innermost row of a strided loop (see <see cref="Broadcast.ForEachRow"/>).</summary>
internal interface IRowVisitor
{
    void Visit(int offsetA, int offsetB, int offsetOut, int length, int strideA, int strideB);
}

/// <summary>
/// Strided and broadcast loops. The innermost dimension is handed to span kernels whole (stride 1 or 0),
/// the outer dimensions are walked with an odometer, so no per-element index arithmetic is paid on the fast rows.
/// </summary>
internal static class Broadcast
{
    /// <summary>
    /// Calls <paramref name="visitor"/> for every innermost row of <paramref name="shape"/>, with the row's start in
    /// two strided operands and in a contiguous output.
    /// </summary>
    internal static void ForEachRow<TVisitor>(
        ReadOnlySpan<int> shape, ReadOnlySpan<int> stridesA, int offsetA, ReadOnlySpan<int> stridesB, int offsetB, ref TVisitor visitor)
        where TVisitor : struct, IRowVisitor
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            visitor.Visit(offsetA, offsetB, 0, 1, 0, 0);
            return;
        }

        int length = shape[rank - 1];
        int total = Shape.ElementCountOf(shape);
        if (total == 0)
        {
            return;
        }

        int rows = total / length;
        int strideA = stridesA[rank - 1], strideB = stridesB[rank - 1];
        Span<int> index = rank <= 16 ? stackalloc int[rank] : new int[rank];
        index.Clear();
        int a = offsetA, b = offsetB;
        for (int row = 0; row < rows; row++)
        {
            visitor.Visit(a, b, row * length, length, strideA, strideB);

            // Advance the odometer over the outer dimensions.
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    a += stridesA[d];
                    b += stridesB[d];
                    break;
                }

                a -= stridesA[d] * (shape[d] - 1);
                b -= stridesB[d] * (shape[d] - 1);
                index[d] = 0;
            }
        }
    }

    /// <summary>Strides of a tensor read as <paramref name="target"/>'s shape (broadcast dimensions get stride 0).</summary>
    internal static int[] StridesAs(Tensor t, ReadOnlySpan<int> target) =>
        Broadcasting.ExpandedStrides(t._shape, t._strides ?? Shape.ContiguousStrides(t._shape), target);

    /// <summary>Copies <paramref name="t"/>, broadcast to <paramref name="shape"/>, into a new row-major array.</summary>
    internal static float[] Materialize(Tensor t, ReadOnlySpan<int> shape)
    {
        float[] result = BufferPool.RentUninitialized(Shape.ElementCountOf(shape));
        int[] strides = StridesAs(t, shape);
        var copier = new CopyRows(t.Data, result);
        ForEachRow(shape, strides, t._offset, strides, t._offset, ref copier);
        return result;
    }

    /// <summary>
    /// Sums <paramref name="t"/> down to <paramref name="shape"/>, which it must broadcast to (the reverse of broadcasting).
    /// Summation order is fixed by the shapes alone, so results are deterministic.
    /// </summary>
    internal static float[] SumTo(Tensor t, ReadOnlySpan<int> shape)
    {
        float[] result = BufferPool.RentZeroed(Shape.ElementCountOf(shape));
        if (result.Length == 0)
        {
            return result;
        }

        // Walk the source's shape; the destination is read with zero strides on the summed dimensions.
        int[] sourceStrides = t._strides ?? Shape.ContiguousStrides(t._shape);
        int[] destStrides = Broadcasting.ExpandedStrides(shape, Shape.ContiguousStrides(shape), t._shape);
        var summer = new SumRows(t.Data, result);
        ForEachRow(t._shape, sourceStrides, t._offset, destStrides, 0, ref summer);
        return result;
    }

    private readonly struct CopyRows(float[] source, float[] destination) : IRowVisitor
    {
        public void Visit(int offsetA, int offsetB, int offsetOut, int length, int strideA, int strideB)
        {
            Span<float> dest = destination.AsSpan(offsetOut, length);
            if (strideA == 1)
            {
                source.AsSpan(offsetA, length).CopyTo(dest);
            }
            else if (strideA == 0)
            {
                dest.Fill(source[offsetA]);
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    dest[i] = source[offsetA + (i * strideA)];
                }
            }
        }
    }

    private readonly struct SumRows(float[] source, float[] destination) : IRowVisitor
    {
        public void Visit(int offsetA, int offsetB, int offsetOut, int length, int strideA, int strideB)
        {
            if (strideA == 1 && strideB == 1)
            {
                Span<float> dest = destination.AsSpan(offsetB, length);
                TensorPrimitives.Add(dest, source.AsSpan(offsetA, length), dest);
            }
            else if (strideA == 1 && strideB == 0)
            {
                destination[offsetB] += TensorPrimitives.Sum(source.AsSpan(offsetA, length));
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    destination[offsetB + (i * strideB)] += source[offsetA + (i * strideA)];
                }
            }
        }
    }
}
