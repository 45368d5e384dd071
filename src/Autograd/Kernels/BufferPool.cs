namespace Autograd.Kernels;

/// <summary>
/// Recycles large storage arrays on the thread that frees them. Only the engine returns arrays, and only ones it can
/// prove unreachable from user code (gradients it created and consumed), so a tensor the user holds never shares a
/// recycled array. Every kernel rents its output here; an array that is never returned is simply collected.
/// </summary>
/// <remarks>
/// Arrays are bucketed by exact length, since a tensor's storage length is its element count. Small arrays are not
/// pooled: below 4,096 floats (16 KB) a gen-0 allocation is cheaper than the bookkeeping. Large fresh arrays are the
/// expensive ones — the runtime zeroes them or the OS maps and faults them in page by page, and they count towards
/// gen-2 collections when above the 85 KB large-object threshold.
/// </remarks>
internal static class BufferPool
{
    internal const int MinimumPooledLength = 4096;

    /// <summary>Per-thread cap on pooled bytes, so a one-off large backward pass does not pin memory forever.</summary>
    private const long MaximumPooledBytes = 256L << 20;

    private const int MaximumPerLength = 8;

    [ThreadStatic]
    private static Dictionary<int, Stack<float[]>>? s_buckets;

    [ThreadStatic]
    private static long s_pooledBytes;

    /// <summary>An array of exactly <paramref name="length"/> floats whose contents are undefined.</summary>
    internal static float[] RentUninitialized(int length)
    {
        if (length >= MinimumPooledLength && s_buckets is { } buckets
            && buckets.TryGetValue(length, out Stack<float[]>? stack) && stack.TryPop(out float[]? array))
        {
            s_pooledBytes -= (long)length * sizeof(float);
            return array;
        }

        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>An array of exactly <paramref name="length"/> zeros.</summary>
    internal static float[] RentZeroed(int length)
    {
        if (length < MinimumPooledLength)
        {
            return new float[length];
        }

        float[] array = RentUninitialized(length);
        Array.Clear(array);
        return array;
    }

    /// <summary>Returns an array that nothing references any more. Small arrays and arrays past the cap are dropped.</summary>
    internal static void Return(float[] array)
    {
        int length = array.Length;
        long bytes = (long)length * sizeof(float);
        if (length < MinimumPooledLength || s_pooledBytes + bytes > MaximumPooledBytes)
        {
            return;
        }

        Dictionary<int, Stack<float[]>> buckets = s_buckets ??= [];
        if (!buckets.TryGetValue(length, out Stack<float[]>? stack))
        {
            stack = new Stack<float[]>();
            buckets[length] = stack;
        }

        if (stack.Count < MaximumPerLength)
        {
            stack.Push(array);
            s_pooledBytes += bytes;
        }
    }

    /// <summary>Number of arrays held for <paramref name="length"/> on this thread (for tests).</summary>
    internal static int CountFor(int length) =>
        s_buckets is { } buckets && buckets.TryGetValue(length, out Stack<float[]>? stack) ? stack.Count : 0;

    /// <summary>Drops every pooled array of this thread.</summary>
    internal static void Clear()
    {
        s_buckets?.Clear();
        s_pooledBytes = 0;
    }
}
