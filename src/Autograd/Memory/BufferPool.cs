namespace Autograd.Kernels;

/// <summary>
/// Recycles storage arrays of <see cref="MinimumPooledLength"/> floats and more. An array comes back in one of three
/// ways, and never while anything can still reach it: the engine returns gradients it created and consumed (to a
/// per-thread pool); a tensor that owns an array below the large-object size returns it through its
/// <see cref="TrackedLease"/>, which the creating thread finds dead after a collection (to that thread's pool); and a
/// tensor that owns an array of <see cref="LeaseLength"/> floats or more returns it through its
/// <see cref="FinalizerLease"/> (to a pool shared by all threads). Every kernel rents its output here.
/// </summary>
/// <remarks>
/// Arrays are bucketed by exact length, since a tensor's storage length is its element count. Below
/// <see cref="MinimumPooledLength"/> a gen-0 allocation is cheaper than the bookkeeping. Arrays of 85,000 bytes and
/// more live on the large-object heap: each fresh one is faulted in page by page and counts towards a gen-2
/// collection, which is what made a training step that resets gradients to null (as PyTorch's
/// <c>zero_grad(set_to_none=True)</c> does) pay a gen-2 collection every other step. Smaller ones cost a gen-0
/// allocation, and the collections it brings, for every op (about 300 KB per step of the mlp workload).
/// <para>
/// A lease returns its array only after a collection has found its tensor dead, so after every
/// <see cref="CollectAfterBytes"/> of leased storage handed out and not given back by the engine (or as much as
/// survived the previous collection, if more), a gen-1 collection is requested. Left to itself, the runtime would
/// collect only when fresh allocations exhaust its budget, and a pool that absorbs them would keep growing instead.
/// </para>
/// <para>
/// Tracked leases replaced gen 0 for arrays below the large-object size once kernels stopped allocating outside the
/// pool (a fresh array that enters the pool survives a collection, and copying those made every collection cost
/// 0.3–0.5 ms). Measured in three pairs of alternating processes (<c>--tracking-cost</c>, medians in µs, tracked
/// against untracked): a recorded <c>(a·b + a).Sum().Backward()</c> on 16,384 floats 7.0–9.0 against 8.0–12.9, on
/// 4,096 floats 2.6–3.5 against 2.6–3.4, on 2,048 floats 2.3–3.9 against 1.8–2.2; the forward alone 4.4–6.3 against
/// 4.6–5.4, 1.6–1.7 against 1.5–1.7, and 1.1–1.7 against 0.8–0.9. The mlp step allocates 18 KB instead of 300 KB
/// (386–431 µs against 361–406 µs on this noisy host; mlp_sgd 354–502 against 356–376). The small-array cost is the
/// requested gen-1 collections, which come about twice as often as the runtime's own gen-0 ones would. A finalizer
/// per lease, tried first, made an element-wise op on 256 floats take 383 ns instead of 48 ns.
/// </para>
/// </remarks>
internal static class BufferPool
{
    /// <summary>
    /// Arrays from this length (8 KB) are pooled. 2,048 rather than 4,096 so that the 10×256 weight's gradient of the
    /// mlp workload is recycled too: with 4,096 a step allocated 39–46 KB, with 2,048 18–22 KB.
    /// </summary>
    internal const int MinimumPooledLength = 2048;

    /// <summary>Arrays from this length (85,000 bytes: the large-object heap) get a <see cref="FinalizerLease"/>.</summary>
    internal const int LeaseLength = 85_000 / sizeof(float);

    /// <summary>Cap on pooled bytes, per thread and for the shared pool, so a one-off burst does not pin memory forever.</summary>
    private const long MaximumPooledBytes = 256L << 20;

    private const int MaximumPerLength = 8;

    /// <summary>
    /// Beyond <see cref="MaximumPerLength"/> arrays, a length keeps up to this many bytes: tracked leases return every
    /// array that died between two collections at once, which is up to <see cref="CollectAfterBytes"/> and more.
    /// </summary>
    private const long MaximumBytesPerLength = 32L << 20;

    /// <summary>
    /// The least leased bytes handed out (pooled or fresh) between two requested collections; when more than this
    /// survived the last one, that much is waited for instead, so a tensor that lives through a whole training step
    /// is rarely alive at two collections (which would age it into gen 2, out of reach of the requested ones).
    /// Measured alternating in one process (median of 15 runs of 300 steps): the mlp step with grads reset to null
    /// (2.1 MB of large arrays per step) took 584, 596 and 586 µs with 8, 16 and 32 MB on one thread and 409, 429
    /// and 433 µs on two; back-to-back 256×256 products on two threads 103, 99 and 98 µs. Only requesting a
    /// collection every 8 MB whatever survived made the 4M-element element-wise step (160 MB of intermediates) take
    /// 67 ms instead of 12 ms.
    /// </summary>
    private const long CollectAfterBytes = 8L << 20;

    /// <summary>
    /// The generation the pool asks to collect. A lease that survives one collection is in gen 1, and a gen-0
    /// collection would never finalize it: measured on a sequence of workloads in one process, gen-0 collections let
    /// 4M-element element-wise steps slow from 11 ms to 32 ms and 1024×1024 products from 9.9 ms to 23 ms, as their
    /// step-long intermediates aged past gen 0 and every rent allocated fresh.
    /// </summary>
    private const int CollectedGeneration = 1;

    [ThreadStatic]
    private static Dictionary<int, Bucket>? s_buckets;

    [ThreadStatic]
    private static long s_pooledBytes;

    /// <summary>
    /// How long a pooled length (or a thread's tracker) must have gone unused before a full collection lets it go.
    /// Time, not a count of collections: <c>GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect()</c>, which
    /// BenchmarkDotNet runs between iterations, is two full collections back to back, and a rule of "unused between
    /// two full collections" emptied the pools of a loop that was busy a moment before: an mlp step allocated 28–29 KB
    /// with such a pair every 1,000 steps, against 19–22 KB without. The runtime's own array pool also trims by age.
    /// Settable for tests.
    /// </summary>
    internal static long IdleMilliseconds { get; set; } = 10_000;

    /// <summary>The gen-2 count at this thread's last trim (see <see cref="TrimIdleLengths"/>).</summary>
    [ThreadStatic]
    private static int s_fullCollectionsAtTrim;

    private static readonly SharedBuckets s_unreachable = new(MaximumPooledBytes);

    private static long s_leasedSinceCollection;

    /// <summary>Bytes held by leases not yet disarmed or finalized: live tensors plus dead ones awaiting their finalizer.</summary>
    private static long s_armedLeaseBytes;

    private static int s_collectionsSeen;

    /// <summary>An array of exactly <paramref name="length"/> floats whose contents are undefined.</summary>
    internal static float[] RentUninitialized(int length)
    {
        if (length < MinimumPooledLength)
        {
            return GC.AllocateUninitializedArray<float>(length);
        }

        CollectIfDue();
        if (TryPop(length) is { } array)
        {
            return array;
        }

        if (length < LeaseLength)
        {
            return StorageTracker.ReclaimAfterCollection() && TryPop(length) is { } reclaimed
                ? reclaimed
                : GC.AllocateUninitializedArray<float>(length);
        }

        return s_unreachable.TryTake(length) ?? GC.AllocateUninitializedArray<float>(length);
    }

    private static float[]? TryPop(int length)
    {
        if (s_buckets is { } buckets && buckets.TryGetValue(length, out Bucket? bucket))
        {
            bucket.RentedSinceTrim = true;
            if (bucket.Arrays.TryPop(out float[]? array))
            {
                s_pooledBytes -= (long)length * sizeof(float);
                return array;
            }
        }

        return null;
    }

    /// <summary>
    /// After a gen-2 collection, drops this thread's lengths that nobody on it has rented for
    /// <see cref="IdleMilliseconds"/> (counted from the first trim that found them unrented), so a burst of some shape
    /// does not keep its arrays for the life of the thread (tracked leases return every array that died, up to
    /// <see cref="MaximumBytesPerLength"/> a length). Runs on the owning thread, from <see cref="Return"/>.
    /// </summary>
    private static void TrimIdleLengths(Dictionary<int, Bucket> buckets)
    {
        int full = GC.CollectionCount(2);
        if (full == s_fullCollectionsAtTrim)
        {
            return;
        }

        s_fullCollectionsAtTrim = full;
        long now = Environment.TickCount64;
        foreach ((int length, Bucket bucket) in buckets)
        {
            if (bucket.IdleAt(now))
            {
                s_pooledBytes -= (long)length * sizeof(float) * bucket.Arrays.Count;
                buckets.Remove(length);
            }
        }
    }

    /// <summary>
    /// Requests a collection once more leased bytes than <see cref="CollectAfterBytes"/>, and than survived the last
    /// collection, have been handed out and not returned by the engine since it.
    /// </summary>
    private static void CollectIfDue()
    {
        int collections = GC.CollectionCount(CollectedGeneration);
        if (collections != Volatile.Read(ref s_collectionsSeen))
        {
            Volatile.Write(ref s_collectionsSeen, collections);
            Interlocked.Exchange(ref s_leasedSinceCollection, 0);
        }

        long since = Volatile.Read(ref s_leasedSinceCollection);
        if (since > Math.Max(CollectAfterBytes, Volatile.Read(ref s_armedLeaseBytes) - since)
            && Memory.RecycleUnreachableStorage
            && System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion)
        {
            Interlocked.Exchange(ref s_leasedSinceCollection, 0);
            GC.Collect(CollectedGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            Volatile.Write(ref s_collectionsSeen, GC.CollectionCount(CollectedGeneration));
        }
    }

    /// <summary>Counts the bytes of a new lease (see <see cref="StorageLease"/>).</summary>
    internal static void LeaseArmed(int length)
    {
        long bytes = (long)length * sizeof(float);
        Interlocked.Add(ref s_armedLeaseBytes, bytes);
        Interlocked.Add(ref s_leasedSinceCollection, bytes);
    }

    /// <summary>Uncounts a lease whose array came back: disarmed by the engine, or found unreachable.</summary>
    internal static void LeaseEnded(int length) => Interlocked.Add(ref s_armedLeaseBytes, -(long)length * sizeof(float));

    /// <summary>Uncounts a lease the engine disarmed: its bytes will not wait for a collection.</summary>
    internal static void LeaseDisarmed(int length)
    {
        long bytes = (long)length * sizeof(float);
        Interlocked.Add(ref s_armedLeaseBytes, -bytes);
        Interlocked.Add(ref s_leasedSinceCollection, -bytes);
    }

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

        Dictionary<int, Bucket> buckets = s_buckets ??= [];
        TrimIdleLengths(buckets);
        if (!buckets.TryGetValue(length, out Bucket? bucket))
        {
            bucket = new Bucket();
            buckets[length] = bucket;
        }

        Stack<float[]> stack = bucket.Arrays;
        if (stack.Count < MaximumPerLength || (stack.Count + 1) * bytes <= MaximumBytesPerLength)
        {
            stack.Push(array);
            s_pooledBytes += bytes;
        }
    }

    /// <summary>Number of arrays held for <paramref name="length"/> on this thread (for tests).</summary>
    internal static int CountFor(int length) =>
        s_buckets is { } buckets && buckets.TryGetValue(length, out Bucket? bucket) ? bucket.Arrays.Count : 0;

    /// <summary>Number of arrays of <paramref name="length"/> in the shared pool that leases fill (for tests).</summary>
    internal static int UnreachableCountFor(int length) => s_unreachable.CountFor(length);

    /// <summary>Drops every pooled array of this thread.</summary>
    internal static void Clear()
    {
        s_buckets?.Clear();
        s_pooledBytes = 0;
    }

    /// <summary>One length of a thread's pool.</summary>
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
                }

                GC.ReRegisterForFinalize(this);
            }
        }
    }
}
