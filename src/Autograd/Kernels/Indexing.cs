using System.Numerics;

namespace Autograd.Kernels;

/// <summary>
/// The kernels behind the indexing ops (index_select, gather, scatter, index_add, index_put, take, advanced
/// indexing). Every op is split in two steps: first the index tensors (spans of <see cref="long"/>) are validated and
/// turned into element offsets into storage (<c>Offsets*</c>), then values are moved by those offsets with
/// <see cref="Gather"/> (<c>dst[i] = src[offsets[i]]</c>) or <see cref="Put"/> (<c>dst[dstOffsets[i]] (+)= src[srcOffsets[i]]</c>).
/// The first step throws before anything is written, so an error never leaves a half-written output; the second
/// is generic over the element type, so every dtype shares it.
/// </summary>
internal static class Indexing
{
    /// <summary>
    /// The first entry of <paramref name="index"/> outside <c>[0, size)</c> (or <c>[-size, size)</c> when
    /// <paramref name="wrap"/>), or −1 when all are valid.
    /// </summary>
    internal static int FindInvalid(ReadOnlySpan<long> index, int size, bool wrap)
    {
        long low = wrap ? -(long)size : 0;
        for (int i = 0; i < index.Length; i++)
        {
            if (index[i] < low || index[i] >= size)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The storage offsets of every element of a row-major walk over <paramref name="shape"/>, for a tensor at
    /// <paramref name="offset"/> with <paramref name="strides"/>: <c>offset + Σ cₐ·stridesₐ</c>.
    /// </summary>
    internal static int[] StridedOffsets(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int offset)
    {
        int count = Shape.ElementCountOf(shape);
        var offsets = new int[count];
        if (count == 0)
        {
            return offsets;
        }

        int rank = shape.Length;
        Span<int> coord = rank <= 16 ? stackalloc int[rank] : new int[rank];
        coord.Clear();
        int at = offset;
        for (int i = 0; i < count; i++)
        {
            offsets[i] = at;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++coord[d] < shape[d])
                {
                    at += strides[d];
                    break;
                }

                at -= strides[d] * (shape[d] - 1);
                coord[d] = 0;
            }
        }

        return offsets;
    }

    /// <summary>
    /// The offsets for gather/scatter along <paramref name="dim"/>: for element <c>c</c> of the (row-major)
    /// <paramref name="index"/> of <paramref name="indexShape"/>, the offset of <c>c</c> with <c>c[dim]</c> replaced by
    /// <c>index[c]</c> in a tensor of <paramref name="strides"/> at <paramref name="offset"/>. Indices must be valid.
    /// </summary>
    internal static int[] AlongDim(ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, int dim, ReadOnlySpan<int> strides, int offset)
    {
        int[] offsets = StridedOffsets(indexShape, strides, offset);
        if (indexShape.Length == 0)
        {
            // A 0-d index (of a 0-d tensor) selects its only element: the index itself must be 0.
            return offsets;
        }

        // StridedOffsets put c[dim]·stride in; swap it for index[c]·stride. c[dim] of element i is (i / inner) % size.
        int inner = 1;
        for (int d = dim + 1; d < indexShape.Length; d++)
        {
            inner *= indexShape[d];
        }

        int size = indexShape[dim], stride = strides[dim];
        for (int i = 0; i < offsets.Length; i++)
        {
            int c = i / inner % size;
            offsets[i] += (int)((index[i] - c) * stride);
        }

        return offsets;
    }

    /// <summary>
    /// The offsets for index_select / index_add along the middle dimension of an <c>[outer, size, inner]</c> tensor
    /// laid out with <paramref name="strides"/> (three entries) at <paramref name="offset"/>: element
    /// <c>(o, k, i)</c> of <c>[outer, index.Length, inner]</c> maps to <c>(o, index[k] (wrapped), i)</c>.
    /// </summary>
    internal static int[] SelectAlong(int outer, int size, int inner, ReadOnlySpan<long> index, ReadOnlySpan<int> strides, int offset)
    {
        var offsets = new int[outer * index.Length * inner];
        int at = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < index.Length; k++)
            {
                long j = index[k] < 0 ? index[k] + size : index[k];
                int row = offset + (o * strides[0]) + (int)(j * strides[1]);
                for (int i = 0; i < inner; i++)
                {
                    offsets[at++] = row + (i * strides[2]);
                }
            }
        }

        return offsets;
    }

    /// <summary>
    /// The offsets of advanced indexing: <paramref name="sizes"/> lists the result's dimensions in order, each
    /// either a plain dimension of the source (<c>sizes[k]</c>, <c>strides[k]</c>) or, where <c>strides[k]</c> is
    /// <see cref="int.MinValue"/>, the one flattened block of broadcast index positions, whose offsets are
    /// <paramref name="blockOffsets"/>. Element <c>c</c> of the result lands at <c>offset + Σ plain cₖ·stridesₖ + blockOffsets[c_block]</c>.
    /// </summary>
    internal static int[] Advanced(ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides, int offset, ReadOnlySpan<int> blockOffsets)
    {
        int block = -1;
        var plainStrides = new int[strides.Length];
        for (int k = 0; k < strides.Length; k++)
        {
            if (strides[k] == int.MinValue)
            {
                block = k;
            }
            else
            {
                plainStrides[k] = strides[k];
            }
        }

        int[] offsets = StridedOffsets(sizes, plainStrides, offset);
        if (block >= 0 && offsets.Length > 0)
        {
            int inner = 1;
            for (int d = block + 1; d < sizes.Length; d++)
            {
                inner *= sizes[d];
            }

            int size = sizes[block];
            for (int i = 0; i < offsets.Length; i++)
            {
                offsets[i] += blockOffsets[i / inner % size];
            }
        }

        return offsets;
    }

    /// <summary><c>destination[i] = source[offsets[i]]</c> for every i (both arrays of the same element type).</summary>
    internal static void Gather(Array source, ReadOnlySpan<int> offsets, Array destination, int destinationOffset)
    {
        switch (source)
        {
            case float[] f: Gather(f, offsets, ((float[])destination).AsSpan(destinationOffset)); break;
            case double[] d: Gather(d, offsets, ((double[])destination).AsSpan(destinationOffset)); break;
            case long[] l: Gather(l, offsets, ((long[])destination).AsSpan(destinationOffset)); break;
            case int[] n: Gather(n, offsets, ((int[])destination).AsSpan(destinationOffset)); break;
            case bool[] b: Gather(b, offsets, ((bool[])destination).AsSpan(destinationOffset)); break;
            case Half[] h: Gather(h, offsets, ((Half[])destination).AsSpan(destinationOffset)); break;
            case ushort[] u: Gather(u, offsets, ((ushort[])destination).AsSpan(destinationOffset)); break;
            default: throw new NotSupportedException($"no tensor storage of {source.GetType().Name}");
        }
    }

    /// <inheritdoc cref="Gather(Array, ReadOnlySpan{int}, Array, int)"/>
    internal static void Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> offsets, Span<T> destination)
    {
        for (int i = 0; i < offsets.Length; i++)
        {
            destination[i] = source[offsets[i]];
        }
    }

    /// <summary>
    /// <c>destination[destinationOffsets[i]] = source[sourceOffsets[i]]</c>, or <c>+=</c> when <paramref name="accumulate"/>
    /// (logical or for bool, as PyTorch's bool addition), for every i in order; <paramref name="scale"/> multiplies
    /// accumulated values (index_add's alpha).
    /// </summary>
    internal static void Put(Array destination, ReadOnlySpan<int> destinationOffsets, Array source, ReadOnlySpan<int> sourceOffsets, bool accumulate, double scale = 1)
    {
        switch (destination)
        {
            case float[] f: Put(f, destinationOffsets, (float[])source, sourceOffsets, accumulate, (float)scale); break;
            case double[] d: Put(d, destinationOffsets, (double[])source, sourceOffsets, accumulate, scale); break;
            case long[] l: Put(l, destinationOffsets, (long[])source, sourceOffsets, accumulate, (long)scale); break;
            case int[] n: Put(n, destinationOffsets, (int[])source, sourceOffsets, accumulate, (int)scale); break;
            case Half[] h: Put(h, destinationOffsets, (Half[])source, sourceOffsets, accumulate, (Half)scale); break;
            case bool[] b:
                bool[] values = (bool[])source;
                for (int i = 0; i < destinationOffsets.Length; i++)
                {
                    bool v = values[sourceOffsets[i]] && scale != 0;
                    b[destinationOffsets[i]] = accumulate ? b[destinationOffsets[i]] | v : values[sourceOffsets[i]];
                }

                break;
            case ushort[] u when !accumulate:
                ushort[] bits = (ushort[])source;
                for (int i = 0; i < destinationOffsets.Length; i++)
                {
                    u[destinationOffsets[i]] = bits[sourceOffsets[i]];
                }

                break;
            default: throw Tensor.NotImplementedFor(DType.BFloat16, "index_add");
        }
    }

    /// <inheritdoc cref="Put(Array, ReadOnlySpan{int}, Array, ReadOnlySpan{int}, bool, double)"/>
    internal static void Put<T>(Span<T> destination, ReadOnlySpan<int> destinationOffsets, ReadOnlySpan<T> source, ReadOnlySpan<int> sourceOffsets, bool accumulate, T scale)
        where T : INumberBase<T>
    {
        if (!accumulate)
        {
            for (int i = 0; i < destinationOffsets.Length; i++)
            {
                destination[destinationOffsets[i]] = source[sourceOffsets[i]];
            }
        }
        else if (scale == T.One)
        {
            for (int i = 0; i < destinationOffsets.Length; i++)
            {
                destination[destinationOffsets[i]] += source[sourceOffsets[i]];
            }
        }
        else
        {
            for (int i = 0; i < destinationOffsets.Length; i++)
            {
                destination[destinationOffsets[i]] += scale * source[sourceOffsets[i]];
            }
        }
    }
}
