namespace Autograd.Kernels;

/// <summary>
/// The one copy loop behind the joining ops (cat, stack, narrow, pad, repeat, flip, roll): element
/// <c>i = (i₀, …, iₖ)</c> of <c>shape</c> is read at <c>sourceOffset + Σ iₐ·sourceStridesₐ</c> and written at
/// <c>destinationOffset + Σ iₐ·destinationStridesₐ</c>. Strides may be 0 (a broadcast source) or negative (a flipped
/// source). Generic over the element type so that every dtype shares it.
/// </summary>
/// <remarks>
/// Before copying, dimensions are coalesced: size-1 dimensions are dropped, and a dimension merges into the next one
/// when both operands step over it exactly as over one longer row (stride = next stride × next size on both sides).
/// Cat of contiguous inputs along dim d thus becomes one row copy per outer index, and a contiguous-to-contiguous copy
/// becomes a single <see cref="Span{T}.CopyTo"/>. The innermost row is then copied with a span copy (unit strides), a
/// fill (source stride 0), a copy and reverse (source stride −1), or an element loop.
/// </remarks>
internal static class StridedCopy
{
    /// <summary>Copies every element of <paramref name="shape"/> from the strided source to the strided destination.</summary>
    internal static void Copy<T>(
        ReadOnlySpan<T> source, int sourceOffset, ReadOnlySpan<int> sourceStrides,
        Span<T> destination, int destinationOffset, ReadOnlySpan<int> destinationStrides,
        ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        foreach (int size in shape)
        {
            if (size == 0)
            {
                return;
            }
        }

        Span<int> sizes = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> from = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> to = rank <= 16 ? stackalloc int[rank] : new int[rank];
        int n = Coalesce(shape, sourceStrides, destinationStrides, sizes, from, to);
        if (n == 0)
        {
            destination[destinationOffset] = source[sourceOffset];
            return;
        }

        int length = sizes[n - 1], a = from[n - 1], b = to[n - 1];
        int rows = 1;
        for (int d = 0; d < n - 1; d++)
        {
            rows *= sizes[d];
        }

        Span<int> index = n <= 16 ? stackalloc int[n] : new int[n];
        index.Clear();
        int s = sourceOffset, t = destinationOffset;
        for (int row = 0; row < rows; row++)
        {
            CopyRow(source, s, a, destination, t, b, length);

            // Advance the odometer over the outer dimensions.
            for (int d = n - 2; d >= 0; d--)
            {
                if (++index[d] < sizes[d])
                {
                    s += from[d];
                    t += to[d];
                    break;
                }

                s -= from[d] * (sizes[d] - 1);
                t -= to[d] * (sizes[d] - 1);
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// Drops size-1 dimensions and merges mergeable neighbours (see the remarks); returns the new rank, with the
    /// coalesced sizes and strides in the first entries of the output spans.
    /// </summary>
    private static int Coalesce(
        ReadOnlySpan<int> shape, ReadOnlySpan<int> sourceStrides, ReadOnlySpan<int> destinationStrides,
        Span<int> sizes, Span<int> from, Span<int> to)
    {
        int n = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1)
            {
                continue;
            }

            // Working outer to inner: the previous kept (outer) entry merges with the inner dimension d when one step
            // of the outer one equals a step over all of d, on both sides.
            if (n > 0 && from[n - 1] == sourceStrides[d] * shape[d] && to[n - 1] == destinationStrides[d] * shape[d])
            {
                sizes[n - 1] *= shape[d];
                from[n - 1] = sourceStrides[d];
                to[n - 1] = destinationStrides[d];
                continue;
            }

            sizes[n] = shape[d];
            from[n] = sourceStrides[d];
            to[n] = destinationStrides[d];
            n++;
        }

        return n;
    }

    private static void CopyRow<T>(ReadOnlySpan<T> source, int s, int a, Span<T> destination, int t, int b, int length)
    {
        if (b == 1)
        {
            Span<T> dest = destination.Slice(t, length);
            if (a == 1)
            {
                source.Slice(s, length).CopyTo(dest);
                return;
            }

            if (a == 0)
            {
                dest.Fill(source[s]);
                return;
            }

            if (a == -1)
            {
                source.Slice(s - length + 1, length).CopyTo(dest);
                dest.Reverse();
                return;
            }
        }

        for (int i = 0; i < length; i++)
        {
            destination[t + (i * b)] = source[s + (i * a)];
        }
    }
}
