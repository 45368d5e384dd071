namespace Autograd.Kernels;

/// <summary>
/// Recycles large storage arrays. An array comes back in one of two ways, and never while anything can still reach it:
/// the engine returns gradients it created and consumed (to a per-thread pool), and a tensor that owns an array of
/// <see cref="LeaseLength"/> floats or more returns it through its <see cref="StorageLease"/> once the tensor itself
/// is unreachable (to a pool shared by all threads). Every kernel rents its output here.
/// </summary>
/// <remarks>
/// Arrays are bucketed by exact length, since a tensor's storage length is its element count. Small arrays are not
/// pooled: below 4,096 floats (16 KB) a gen-0 allocation is cheaper than the bookkeeping. Arrays of 85,000 bytes and
/// more live on the large-object heap: each fresh one is faulted in page by page and counts towards a gen-2
/// collection, which is what made a training step that resets gradients to null (as PyTorch's
/// <c>zero_grad(set_to_none=True)</c> does) pay a gen-2 collection every other step. Recycling them through leases
/// removes that cost, but a lease only returns its array after a collection has found the tensor dead; so after every
/// <see cref="CollectAfterBytes"/> of leased storage handed out (or as much as survived the previous collection, if
/// more), a gen-1 collection is requested. One of short-lived
/// tensors takes about 0.2 ms here, against about 2 ms to fault in 8 MB of fresh memory. Arrays below the
/// large-object size are left to gen 0, which reclaims them as cheaply: leasing them measured slower (an element-wise
/// op on 16,384 floats took 2.07 µs leased against 1.68 µs fresh, on 256 floats 383 ns against 48 ns).
/// </remarks>
internal static class BufferPool
{
    internal const int MinimumPooledLength = 4096;

    /// <summary>Arrays from this length (85,000 bytes: the large-object heap) are returned by the tensor's lease.</summary>
    /// <remarks>
    /// Measured on the mlp step: leasing the 64 KB activations as well (from 4,096 floats) made steps 10% slower
    /// than letting gen 0 reclaim them, which reuses cache-warm memory.
    /// </remarks>
    internal const int LeaseLength = 85_000 / sizeof(float);

    /// <summary>Cap on pooled bytes, per thread and for the shared pool, so a one-off burst does not pin memory forever.</summary>
    private const long MaximumPooledBytes = 256L << 20;

    private const int MaximumPerLength = 8;

    /// <summary>
    /// The least leased bytes handed out (pooled or fresh) between two requested collections; when more than this
    /// survived the last one, that much is waited for instead, so a tensor that lives through a whole training step
    /// is rarely alive at two collections (which would age it into gen 2, out of reach of the requested ones).
    /// Measured: on the mlp step with grads reset to null (2.1 MB of large arrays per step) 4–32 MB ran alike
    /// (0.6–0.8 ms per step, no gen-2 collection in 2,000 steps); on back-to-back 256×256 products on 2 threads 8 MB
    /// took 90 µs and 32 MB 109 µs per product, the larger set of arrays no longer staying in cache. A fixed 8 MB made
    /// the 4M-element element-wise step (160 MB of intermediates) take 67 ms instead of 12 ms.
    /// </summary>
    private const long CollectAfterBytes = 8L << 20;

    [ThreadStatic]
    private static Dictionary<int, Stack<float[]>>? s_buckets;

    [ThreadStatic]
    private static long s_pooledBytes;

    private static readonly SharedBuckets s_unreachable = new();

    private static long s_leasedSinceCollection;

    /// <summary>Bytes held by leases not yet disarmed or finalized: live tensors plus dead ones awaiting their finalizer.</summary>
    private static long s_armedLeaseBytes;

    /// <summary>
    /// The generation the pool asks to collect. A lease that survives one collection is in gen 1, and a gen-0
    /// collection would never finalize it: measured on a sequence of workloads in one process, gen-0 collections let
    /// 4M-element element-wise steps slow from 11 ms to 32 ms and 1024×1024 products from 9.9 ms to 23 ms, as their
    /// step-long intermediates aged past gen 0 and every rent allocated fresh.
    /// </summary>
    private const int CollectedGeneration = 1;

    private static int s_collectionsSeen;

    /// <summary>An array of exactly <paramref name="length"/> floats whose contents are undefined.</summary>
    internal static float[] RentUninitialized(int length)
    {
        if (length < MinimumPooledLength)
        {
            return GC.AllocateUninitializedArray<float>(length);
        }

        if (s_buckets is { } buckets
            && buckets.TryGetValue(length, out Stack<float[]>? stack) && stack.TryPop(out float[]? array))
        {
            s_pooledBytes -= (long)length * sizeof(float);
            return array;
        }

        return length < LeaseLength ? GC.AllocateUninitializedArray<float>(length) : RentLeased(length);
    }

    private static float[] RentLeased(int length)
    {
        int collections = GC.CollectionCount(CollectedGeneration);
        if (collections != Volatile.Read(ref s_collectionsSeen))
        {
            Volatile.Write(ref s_collectionsSeen, collections);
            Interlocked.Exchange(ref s_leasedSinceCollection, 0);
        }

        long since = Interlocked.Add(ref s_leasedSinceCollection, (long)length * sizeof(float));
        long survivors = Volatile.Read(ref s_armedLeaseBytes) - since;
        if (since > Math.Max(CollectAfterBytes, survivors)
            && System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion)
        {
            Interlocked.Exchange(ref s_leasedSinceCollection, 0);
            GC.Collect(CollectedGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            Volatile.Write(ref s_collectionsSeen, GC.CollectionCount(CollectedGeneration));
        }

        return s_unreachable.TryTake(length) ?? GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Counts the bytes of a new lease (see <see cref="StorageLease"/>).</summary>
    internal static void LeaseArmed(int length) => Interlocked.Add(ref s_armedLeaseBytes, (long)length * sizeof(float));

    /// <summary>Uncounts a lease that was disarmed or has returned its array.</summary>
    internal static void LeaseEnded(int length) => Interlocked.Add(ref s_armedLeaseBytes, -(long)length * sizeof(float));

    /// <summary>Takes the storage of a tensor that nothing can reach any more (called by <see cref="StorageLease"/>'s finalizer).</summary>
    internal static void ReturnUnreachable(float[] array)
    {
        LeaseEnded(array.Length);
        s_unreachable.Add(array);
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

    /// <summary>Number of arrays of <paramref name="length"/> in the shared pool that leases fill (for tests).</summary>
    internal static int UnreachableCountFor(int length) => s_unreachable.CountFor(length);

    /// <summary>Drops every pooled array of this thread.</summary>
    internal static void Clear()
    {
        s_buckets?.Clear();
        s_pooledBytes = 0;
    }

    /// <summary>
    /// A lock-protected pool shared by all threads, fed by finalizers. Lengths that nobody rented between two gen-2
    /// collections are dropped, so a one-off burst of large tensors is not kept for the life of the process.
    /// </summary>
    private sealed class SharedBuckets
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<int, Bucket> _buckets = [];
        private long _bytes;

        internal SharedBuckets() => _ = new TrimAfterFullCollections(this);

        internal float[]? TryTake(int length)
        {
            lock (_gate)
            {
                if (_buckets.TryGetValue(length, out Bucket? bucket))
                {
                    bucket.Rented = true;
                    if (bucket.Arrays.TryPop(out float[]? array))
                    {
                        _bytes -= (long)length * sizeof(float);
                        return array;
                    }
                }
            }

            return null;
        }

        internal int CountFor(int length)
        {
            lock (_gate)
            {
                return _buckets.TryGetValue(length, out Bucket? bucket) ? bucket.Arrays.Count : 0;
            }
        }

        internal void Add(float[] array)
        {
            long bytes = (long)array.Length * sizeof(float);
            lock (_gate)
            {
                if (_bytes + bytes > MaximumPooledBytes)
                {
                    return;
                }

                if (!_buckets.TryGetValue(array.Length, out Bucket? bucket))
                {
                    bucket = new Bucket { Rented = true };   // a new length survives its first full collection
                    _buckets[array.Length] = bucket;
                }

                bucket.Arrays.Push(array);
                _bytes += bytes;
            }
        }

        private void DropIdleLengths()
        {
            lock (_gate)
            {
                foreach ((int length, Bucket bucket) in _buckets)
                {
                    if (!bucket.Rented)
                    {
                        _bytes -= (long)length * sizeof(float) * bucket.Arrays.Count;
                        _buckets.Remove(length);
                    }
                    else
                    {
                        bucket.Rented = false;
                    }
                }
            }
        }

        private sealed class Bucket
        {
            internal Stack<float[]> Arrays { get; } = new();

            internal bool Rented { get; set; }
        }

        /// <summary>
        /// Finalized after every collection of its generation and registered again, so once it has aged into gen 2 it
        /// runs after each gen-2 collection (the pattern of the runtime's own array pool).
        /// </summary>
        private sealed class TrimAfterFullCollections(SharedBuckets pool)
        {
            private int _lastFullCollection = GC.CollectionCount(2);

            ~TrimAfterFullCollections()
            {
                int full = GC.CollectionCount(2);
                if (full != _lastFullCollection)
                {
                    _lastFullCollection = full;
                    pool.DropIdleLengths();
                }

                GC.ReRegisterForFinalize(this);
            }
        }
    }
}
