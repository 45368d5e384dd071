namespace Autograd.Kernels;

/// <summary>
/// Recycles storage arrays of <see cref="MinimumPooledLength"/> floats and more, in two ways, each of which hands an
/// array out again only once nothing can read or write it any more: the engine returns gradients it created and
/// consumed (it has proved that no one else references them) to a pool of the thread it runs on; and a tensor that
/// owns an array of <see cref="LeaseLength"/> floats or more (the large-object heap) carries a
/// <see cref="StorageLease"/>, which the garbage collector's own reachability analysis returns to a pool shared by all
/// threads once the array is unreachable. Every kernel rents its output here.
/// </summary>
/// <remarks>
/// <para>
/// Arrays are bucketed by exact length, since a tensor's storage length is its element count. Below
/// <see cref="MinimumPooledLength"/> a gen-0 allocation is cheaper than the bookkeeping. The library requests no
/// collection: leased arrays come back when the runtime collects on its own.
/// </para>
/// <para>
/// Arrays below the large-object size that tensors own (forward activations, mostly) are left to the collector. A
/// lease on them would have to be keyed to the tensor, not the array, to be found dead by gen-0 collections (an array
/// that has been pooled once has aged past gen 0), and then a span over the array that outlives the tensor's last use
/// could see the array handed out under it: that design needed a <c>GC.KeepAlive</c> at about 140 call sites and a
/// requested gen-1 collection every 8 MB. Measured on the mlp workload step (784-256-256-10, batch 64, one thread,
/// 1,000 steps, 2026-12-02, Intel Xeon with 105 MB L3): with those leases 15 KB allocated per step with in-place
/// gradient zeroing, 28 requested gen-1 collections, 1.19–1.56 ms a step; without them 277 KB a step, 4–6 gen-0
/// collections of the runtime's own and no gen-2, 1.07–1.36 ms a step.
/// </para>
/// </remarks>
internal static class BufferPool
{
    /// <summary>
    /// Arrays from this length (8 KB) are pooled. 2,048 rather than 4,096 so that the 10×256 weight's gradient of the
    /// mlp workload is recycled too: with 4,096 a step allocated 39–46 KB, with 2,048 18–22 KB.
    /// </summary>
    internal const int MinimumPooledLength = 2048;

    /// <summary>Arrays from this length (85,000 bytes: the large-object heap) get a <see cref="StorageLease"/>.</summary>
    internal const int LeaseLength = 85_000 / sizeof(float);

    /// <summary>Cap on pooled bytes, per thread and for the shared pool, so a one-off burst does not pin memory forever.</summary>
    private const long MaximumPooledBytes = 256L << 20;

    private const int MaximumPerLength = 8;

    /// <summary>
    /// Beyond <see cref="MaximumPerLength"/> arrays, a length keeps up to this many bytes: leases return every array
    /// that died before a full collection at once.
    /// </summary>
    private const long MaximumBytesPerLength = 32L << 20;

    [ThreadStatic]
    private static ThreadPoolState? t_pool;

    private static readonly Lock s_registryGate = new();

    /// <summary>Every thread's pool, so that those of idle threads can be let go (see <see cref="ReleaseIdleThreads"/>).</summary>
    private static readonly List<WeakReference<ThreadPoolState>> s_registry = [];

    /// <summary>
    /// How long a pooled length (or a whole thread's pool) must have gone unused before a full collection lets it go.
    /// Time, not a count of collections: <c>GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect()</c>, which
    /// BenchmarkDotNet runs between iterations, is two full collections back to back, and a rule of "unused between
    /// two full collections" emptied the pools of a loop that was busy a moment before: an mlp step allocated 28–29 KB
    /// with such a pair every 1,000 steps, against 19–22 KB without. The runtime's own array pool also trims by age.
    /// Settable for tests.
    /// </summary>
    internal static long IdleMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// <see cref="IdleMilliseconds"/> for whole threads' pools (see <see cref="ReleaseIdleThreads"/>); separate so that a
    /// test of one rule can set its wait to zero without the other racing it from the finalizer thread.
    /// </summary>
    internal static long IdleThreadMilliseconds { get; set; } = 10_000;

    private static readonly SharedBuckets s_unreachable = new(MaximumPooledBytes);

    /// <summary>An array of exactly <paramref name="length"/> floats whose contents are undefined.</summary>
    internal static float[] RentUninitialized(int length)
    {
        if (length < MinimumPooledLength)
        {
            return GC.AllocateUninitializedArray<float>(length);
        }

        if (TryPop(length) is { } array)
        {
            return array;
        }

        return (length >= LeaseLength ? s_unreachable.TryTake(length) : null)
            ?? GC.AllocateUninitializedArray<float>(length);
    }

    private static float[]? TryPop(int length)
    {
        if (t_pool is not { } pool)
        {
            return null;
        }

        pool.UsedSinceRelease = true;
        if (pool.Buckets is { } buckets && buckets.TryGetValue(length, out Bucket? bucket))
        {
            bucket.RentedSinceTrim = true;
            if (bucket.Arrays.TryPop(out float[]? array))
            {
                pool.Bytes -= (long)length * sizeof(float);
                return array;
            }
        }

        return null;
    }

    /// <summary>
    /// After a gen-2 collection, drops this thread's lengths that nobody on it has rented for
    /// <see cref="IdleMilliseconds"/> (counted from the first trim that found them unrented), so a burst of some shape
    /// does not keep its arrays for the life of the thread. Runs on the owning thread, from <see cref="Return"/>.
    /// </summary>
    private static void TrimIdleLengths(ThreadPoolState pool, Dictionary<int, Bucket> buckets)
    {
        int full = GC.CollectionCount(2);
        if (full == pool.FullCollectionsAtTrim)
        {
            return;
        }

        pool.FullCollectionsAtTrim = full;
        long now = Environment.TickCount64;
        foreach ((int length, Bucket bucket) in buckets)
        {
            if (bucket.IdleAt(now))
            {
                pool.Bytes -= (long)length * sizeof(float) * bucket.Arrays.Count;
                buckets.Remove(length);
            }
        }
    }

    /// <summary>
    /// After a gen-2 collection (on the finalizer thread), lets go of the whole pool of every thread that has neither
    /// rented nor returned for <see cref="IdleThreadMilliseconds"/>, counted from the first such collection that found it
    /// unused: such a thread never reaches <see cref="TrimIdleLengths"/>. The owner may wake up meanwhile; it then works
    /// on the dictionary it already holds, or on a new one, and only ever loses arrays to the collector.
    /// </summary>
    private static void ReleaseIdleThreads()
    {
        long now = Environment.TickCount64;
        lock (s_registryGate)
        {
            for (int i = s_registry.Count - 1; i >= 0; i--)
            {
                if (!s_registry[i].TryGetTarget(out ThreadPoolState? pool))
                {
                    s_registry.RemoveAt(i);
                }
                else if (pool.UsedSinceRelease)
                {
                    pool.UsedSinceRelease = false;
                    pool.IdleSince = now;
                }
                else if (pool.Buckets is not null && now - pool.IdleSince >= IdleThreadMilliseconds)
                {
                    pool.Buckets = null;
                    pool.Bytes = 0;
                }
            }
        }
    }

    /// <summary>Takes the storage of a tensor that nothing can reach any more (called by <see cref="StorageLease"/>'s finalizer).</summary>
    internal static void ReturnUnreachable(float[] array) => s_unreachable.Add(array);

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
        ThreadPoolState pool = t_pool ?? NewThreadPool();
        if (length < MinimumPooledLength || pool.Bytes + bytes > MaximumPooledBytes)
        {
            return;
        }

        pool.UsedSinceRelease = true;
        Dictionary<int, Bucket> buckets = pool.Buckets ??= [];
        TrimIdleLengths(pool, buckets);
        if (!buckets.TryGetValue(length, out Bucket? bucket))
        {
            bucket = new Bucket();
            buckets[length] = bucket;
        }

        Stack<float[]> stack = bucket.Arrays;
        if (stack.Count < MaximumPerLength || (stack.Count + 1) * bytes <= MaximumBytesPerLength)
        {
            stack.Push(array);
            pool.Bytes += bytes;
        }
    }

    private static ThreadPoolState NewThreadPool()
    {
        var pool = new ThreadPoolState();
        lock (s_registryGate)
        {
            s_registry.Add(new WeakReference<ThreadPoolState>(pool));
        }

        t_pool = pool;
        return pool;
    }

    /// <summary>Number of arrays held for <paramref name="length"/> on this thread (for tests).</summary>
    internal static int CountFor(int length) =>
        t_pool?.Buckets is { } buckets && buckets.TryGetValue(length, out Bucket? bucket) ? bucket.Arrays.Count : 0;

    /// <summary>Number of arrays of <paramref name="length"/> in the shared pool that leases fill (for tests).</summary>
    internal static int UnreachableCountFor(int length) => s_unreachable.CountFor(length);

    /// <summary>Drops every pooled array of this thread.</summary>
    internal static void Clear()
    {
        if (t_pool is { } pool)
        {
            pool.Buckets = null;
            pool.Bytes = 0;
        }
    }

    /// <summary>One thread's pool of the arrays the engine gave back on it.</summary>
    private sealed class ThreadPoolState
    {
        /// <summary>The arrays by length; null when empty or let go by <see cref="ReleaseIdleThreads"/>.</summary>
        internal Dictionary<int, Bucket>? Buckets;

        internal long Bytes;

        /// <summary>Set by every rent and return of the owner; cleared by <see cref="ReleaseIdleThreads"/>.</summary>
        internal bool UsedSinceRelease = true;

        /// <summary>When <see cref="ReleaseIdleThreads"/> first found the pool unused (Environment.TickCount64).</summary>
        internal long IdleSince;

        /// <summary>The gen-2 count at the owner's last trim (see <see cref="TrimIdleLengths"/>).</summary>
        internal int FullCollectionsAtTrim = GC.CollectionCount(2);
    }

    /// <summary>The arrays of one length, in a thread's pool or the shared one, and how recently they were rented.</summary>
    private sealed class Bucket
    {
        internal Stack<float[]> Arrays { get; } = new();

        /// <summary>The shared pool's rent clock at the last rent (for its least-recently-rented eviction).</summary>
        internal long LastRented { get; set; }

        /// <summary>A new length counts as just rented.</summary>
        internal bool RentedSinceTrim { get; set; } = true;

        /// <summary>When a trim first found this length unrented (Environment.TickCount64).</summary>
        private long _idleSince;

        /// <summary>
        /// Called at each trim: true once the length has gone unrented for <see cref="IdleMilliseconds"/>, counted
        /// from the first trim that found it unrented.
        /// </summary>
        internal bool IdleAt(long now)
        {
            if (RentedSinceTrim)
            {
                RentedSinceTrim = false;
                _idleSince = now;
                return false;
            }

            return now - _idleSince >= IdleMilliseconds;
        }
    }

    /// <summary>
    /// A lock-protected pool shared by all threads, fed by finalizers. When an array would pass the cap, the lengths
    /// rented least recently make room for it, so a program whose shapes change keeps pooling the new ones; and
    /// lengths that nobody has rented for <see cref="IdleMilliseconds"/> are dropped at gen-2 collections, so a one-off burst of large tensors is
    /// not kept for the life of the process.
    /// </summary>
    internal sealed class SharedBuckets
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<int, Bucket> _buckets = [];
        private readonly long _capacityBytes;
        private long _bytes;
        private long _clock;

        /// <summary>A pool holding at most <paramref name="capacityBytes"/>; trimmed after gen-2 collections.</summary>
        internal SharedBuckets(long capacityBytes)
        {
            _capacityBytes = capacityBytes;
            _ = new TrimAfterFullCollections(this);
        }

        internal float[]? TryTake(int length)
        {
            lock (_gate)
            {
                if (_buckets.TryGetValue(length, out Bucket? bucket))
                {
                    bucket.LastRented = ++_clock;
                    bucket.RentedSinceTrim = true;
                    if (bucket.Arrays.TryPop(out float[]? array))
                    {
                        _bytes -= BytesOf(length, 1);
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
            long bytes = BytesOf(array.Length, 1);
            if (bytes > _capacityBytes)
            {
                return;
            }

            lock (_gate)
            {
                while (_bytes + bytes > _capacityBytes && DropLeastRecentlyRented(except: array.Length))
                {
                }

                if (_bytes + bytes > _capacityBytes)
                {
                    return;
                }

                if (!_buckets.TryGetValue(array.Length, out Bucket? bucket))
                {
                    // A new length counts as just rented, so it survives its first full collection.
                    bucket = new Bucket { LastRented = ++_clock };
                    _buckets[array.Length] = bucket;
                }

                if (bucket.Arrays.Count >= MaximumPerLength && (bucket.Arrays.Count + 1) * bytes > MaximumBytesPerLength)
                {
                    return;   // what one length may hold, as in a thread's pool
                }

                bucket.Arrays.Push(array);
                _bytes += bytes;
            }
        }

        private static long BytesOf(int length, int count) => (long)length * sizeof(float) * count;

        private bool DropLeastRecentlyRented(int except)
        {
            int oldest = -1;
            long oldestRent = long.MaxValue;
            foreach ((int length, Bucket bucket) in _buckets)
            {
                if (length != except && bucket.Arrays.Count > 0 && bucket.LastRented < oldestRent)
                {
                    (oldest, oldestRent) = (length, bucket.LastRented);
                }
            }

            if (oldest < 0)
            {
                return false;
            }

            _bytes -= BytesOf(oldest, _buckets[oldest].Arrays.Count);
            _buckets.Remove(oldest);
            return true;
        }

        private void DropIdleLengths()
        {
            lock (_gate)
            {
                long now = Environment.TickCount64;
                foreach ((int length, Bucket bucket) in _buckets)
                {
                    if (bucket.IdleAt(now))
                    {
                        _bytes -= BytesOf(length, bucket.Arrays.Count);
                        _buckets.Remove(length);
                    }
                }
            }
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
                    ReleaseIdleThreads();
                }

                GC.ReRegisterForFinalize(this);
            }
        }
    }
}
