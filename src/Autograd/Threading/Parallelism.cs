namespace Autograd;

/// <summary>
/// Process-wide intra-op parallelism settings, the analogue of <c>torch.set_num_threads</c>.
/// </summary>
public static class Parallelism
{
    private static int s_numThreads = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the maximum number of threads a single kernel call (for example a matrix
    /// product) may use, counting the calling thread. Defaults to <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    /// <remarks>
    /// Kernels only fan out when the work is large enough to amortise the hand-off to worker threads;
    /// results do not depend on this value (work is partitioned so every output element is computed by
    /// the same instruction sequence whatever the thread count).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public static int NumThreads
    {
        get => Volatile.Read(ref s_numThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_numThreads, value);
        }
    }
}
