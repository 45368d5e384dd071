namespace Autograd;

/// <summary>NumPy broadcasting rules, shared by every binary op and by the engine's gradient reduction.</summary>
internal static class Broadcasting
{
    /// <summary>
    /// The broadcast of two shapes: align trailing dimensions; each pair must be equal or contain a 1.
    /// Returns one of the inputs when it already is the result, so the common equal-shape case allocates nothing.
    /// </summary>
    internal static int[] Shapes(int[] a, int[] b)
    {
        if (a == b || a.AsSpan().SequenceEqual(b))
        {
            return a;
        }

        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Length ? a[^i] : 1;
            int db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {rank - i}");
            }

            result[rank - i] = da == 1 ? db : da;
        }

        if (result.AsSpan().SequenceEqual(a))
        {
            return a;
        }

        return result.AsSpan().SequenceEqual(b) ? b : result;
    }

    /// <summary>True when a tensor of shape <paramref name="from"/> can be summed down to <paramref name="to"/>.</summary>
    internal static bool CanSumTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (to.Length > from.Length)
        {
            return false;
        }

        for (int i = 1; i <= to.Length; i++)
        {
            if (to[^i] != 1 && to[^i] != from[^i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Strides that read a tensor of <paramref name="shape"/>/<paramref name="strides"/> as if it had
    /// <paramref name="target"/>'s shape: broadcast dimensions get stride 0.
    /// </summary>
    internal static int[] ExpandedStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        int offset = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            result[offset + i] = shape[i] == 1 && target[offset + i] != 1 ? 0 : strides[i];
        }

        return result;
    }
}
