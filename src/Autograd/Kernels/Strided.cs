using System.Numerics;

namespace Autograd.Kernels;

/// <summary>Loops over strided windows of flat buffers; generic over the element type, no Tensor.</summary>
internal static class Strided
{
    /// <summary>
    /// <c>destination[offset + Σₖ iₖ·strides[k]] += source[i]</c> for every index <c>i</c> of <paramref name="shape"/>,
    /// with <paramref name="source"/> read in row-major order. Windows that overlap (a stride 0, or an unfold whose step
    /// is below its size) add every contribution, which is what the adjoint of a strided view needs. The order of the
    /// additions is fixed by the geometry alone, so results are deterministic.
    /// </summary>
    internal static void ScatterAdd<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int offset, Span<T> destination)
        where T : IAdditionOperators<T, T, T>
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            destination[offset] += source[0];
            return;
        }

        int count = Shape.ElementCountOf(shape);
        if (count == 0)
        {
            return;
        }

        int length = shape[rank - 1], stride = strides[rank - 1];
        Span<int> index = rank <= 16 ? stackalloc int[rank] : new int[rank];
        index.Clear();
        int at = offset;
        for (int row = 0; row < count; row += length)
        {
            ReadOnlySpan<T> values = source.Slice(row, length);
            for (int i = 0, j = at; i < values.Length; i++, j += stride)
            {
                destination[j] += values[i];
            }

            // Advance the odometer over the outer dimensions.
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    at += strides[d];
                    break;
                }

                at -= strides[d] * (shape[d] - 1);
                index[d] = 0;
            }
        }
    }
}
