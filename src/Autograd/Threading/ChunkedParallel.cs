using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>
/// Splits long element-wise kernels and sums into fixed chunks run on <see cref="WorkerPool"/>. The chunk boundaries
/// depend only on the length, never on the thread count, so results are bit-identical with 1 or 2 threads.
/// </summary>
internal static class ChunkedParallel
{
    /// <summary>
    /// Elements per part: 64K floats (256 KB, about half this CPU's L2). An add over one chunk takes roughly 10 µs and
    /// sin or exp 50–100 µs, well above the 1–2 µs hand-off to a spinning worker, while lengths under two chunks
    /// (where one thread finishes first anyway) never pay for the hand-off.
    /// </summary>
    internal const int ChunkLength = 1 << 16;

    internal static int ChunkCount(int length) => (length + ChunkLength - 1) / ChunkLength;

    /// <summary>Whether a kernel over <paramref name="length"/> elements should be split across threads.</summary>
    internal static bool ShouldSplit(int length) => length >= 2 * ChunkLength && Parallelism.NumThreads > 1;

    /// <summary>destination = kernel(x), over chunks on up to <see cref="Parallelism.NumThreads"/> threads.</summary>
    internal static void Map(SpanMap kernel, float[] x, int xOffset, float[] destination, int length) =>
        WorkerPool.Run(new MapWork(kernel, x, xOffset, destination, length), ChunkCount(length), Parallelism.NumThreads);

    /// <summary>destination = kernel(x, y), over chunks on up to <see cref="Parallelism.NumThreads"/> threads.</summary>
    internal static void Map(SpanMap2 kernel, float[] x, int xOffset, float[] y, int yOffset, float[] destination, int length) =>
        WorkerPool.Run(new Map2Work(kernel, x, xOffset, y, yOffset, destination, length), ChunkCount(length), Parallelism.NumThreads);

    /// <summary>destination = op(a, b) for equally long a and b; a scalar operand is a 1-element array with <paramref name="aIsScalar"/> or <paramref name="bIsScalar"/>.</summary>
    internal static void Binary<TOperator>(float[] a, int aOffset, bool aIsScalar, float[] b, int bOffset, bool bIsScalar, float[] destination, int length)
        where TOperator : IBinaryOperator =>
        WorkerPool.Run(new BinaryWork<TOperator>(a, aOffset, aIsScalar, b, bOffset, bIsScalar, destination, length), ChunkCount(length), Parallelism.NumThreads);

    /// <summary>
    /// Σ x in a fixed order: TensorPrimitives.Sum over each chunk, then the chunk sums in chunk order. Used for every
    /// length from two chunks up, with one thread or several, so the result does not depend on the thread count.
    /// </summary>
    internal static float Sum(ReadOnlySpan<float> x, float[] source, int offset)
    {
        if (x.Length < 2 * ChunkLength)
        {
            return TensorPrimitives.Sum(x);
        }

        var work = new SumWork(source, offset, x.Length);
        WorkerPool.Run(work, work.Partials.Length, Parallelism.NumThreads);
        float total = 0f;
        foreach (float partial in work.Partials)
        {
            total += partial;
        }

        return total;
    }

    private static (int Start, int Length) Range(int index, int length)
    {
        int start = index * ChunkLength;
        return (start, Math.Min(ChunkLength, length - start));
    }

    private sealed class MapWork(SpanMap kernel, float[] x, int xOffset, float[] destination, int length) : IParallelWork
    {
        public void Execute(int index)
        {
            (int start, int count) = Range(index, length);
            kernel(x.AsSpan(xOffset + start, count), destination.AsSpan(start, count));
        }
    }

    private sealed class Map2Work(SpanMap2 kernel, float[] x, int xOffset, float[] y, int yOffset, float[] destination, int length) : IParallelWork
    {
        public void Execute(int index)
        {
            (int start, int count) = Range(index, length);
            kernel(x.AsSpan(xOffset + start, count), y.AsSpan(yOffset + start, count), destination.AsSpan(start, count));
        }
    }

    private sealed class BinaryWork<TOperator>(float[] a, int aOffset, bool aIsScalar, float[] b, int bOffset, bool bIsScalar, float[] destination, int length) : IParallelWork
        where TOperator : IBinaryOperator
    {
        public void Execute(int index)
        {
            (int start, int count) = Range(index, length);
            Span<float> output = destination.AsSpan(start, count);
            if (aIsScalar)
            {
                TOperator.Invoke(a[aOffset], b.AsSpan(bOffset + start, count), output);
            }
            else if (bIsScalar)
            {
                TOperator.Invoke(a.AsSpan(aOffset + start, count), b[bOffset], output);
            }
            else
            {
                TOperator.Invoke(a.AsSpan(aOffset + start, count), b.AsSpan(bOffset + start, count), output);
            }
        }
    }

    private sealed class SumWork(float[] source, int offset, int length) : IParallelWork
    {
        public float[] Partials { get; } = new float[ChunkCount(length)];

        public void Execute(int index)
        {
            (int start, int count) = Range(index, length);
            Partials[index] = TensorPrimitives.Sum(source.AsSpan(offset + start, count));
        }
    }
}
