namespace Autograd.Kernels;

/// <summary>
/// This thread's <see cref="TrackedLease"/>s: after each collection, the arrays of owners found dead go back to the
/// thread's pool. A scan visits every live lease, so it runs only once a collection has happened since the last one,
/// and only when the pool misses or the list has doubled.
/// </summary>
/// <remarks>
/// A thread that stops making tensors stops scanning, and its tracker would hold the arrays of its dead tensors for
/// good. So after every gen-2 collection, the finalizer thread scans the trackers of threads that have made no tensor
/// for a while (<see cref="BufferPool.IdleMilliseconds"/>), and lets those arrays go (it cannot reach the thread's
/// pool); a lock per tracker, uncontended on the hot path, keeps the two scans apart. Active threads keep recycling
/// their own.
/// </remarks>
internal sealed class StorageTracker
{
    private const int InitialCapacity = 64;

    [ThreadStatic]
    private static StorageTracker? t_current;

    private static readonly Lock s_registryGate = new();
    private static readonly List<WeakReference<StorageTracker>> s_registry = [];

    private readonly Lock _gate = new();
    private TrackedLease?[] _leases = new TrackedLease?[InitialCapacity];
    private int _count;
    private int _countAfterScan;
    private int _collectionsAtScan = GC.CollectionCount(0);
    private bool _trackedSinceRelease = true;
    private long _idleSince;

    static StorageTracker() => _ = new ReleaseAfterFullCollections();

    private StorageTracker()
    {
        lock (s_registryGate)
        {
            s_registry.Add(new WeakReference<StorageTracker>(this));
        }
    }

    /// <summary>Starts tracking <paramref name="array"/>, owned by <paramref name="owner"/>.</summary>
    internal static TrackedLease Track(object owner, float[] array)
    {
        StorageTracker tracker = t_current ??= new StorageTracker();
        var lease = new TrackedLease(owner, array);
        lock (tracker._gate)
        {
            tracker._trackedSinceRelease = true;
            if (tracker._count == tracker._leases.Length)
            {
                tracker.MakeRoom();
            }

            tracker._leases[tracker._count++] = lease;
        }

        return lease;
    }

    /// <summary>
    /// Returns to this thread's pool the arrays whose owners a collection has found dead since the last scan; false
    /// when no collection has happened since (nothing can have come back).
    /// </summary>
    internal static bool ReclaimAfterCollection()
    {
        if (t_current is not { } tracker || tracker._collectionsAtScan == GC.CollectionCount(0))
        {
            return false;
        }

        lock (tracker._gate)
        {
            return tracker.Scan(recycle: true);
        }
    }

    /// <summary>Number of leases this thread still tracks (for tests).</summary>
    internal static int TrackedCount => t_current?._count ?? 0;

    /// <summary>
    /// Lets go of the arrays of dead owners in the trackers of threads that have made no tensor for
    /// <see cref="BufferPool.IdleMilliseconds"/>, counted from the first full collection that found them idle.
    /// </summary>
    private static void ReleaseDeadInIdleThreads()
    {
        StorageTracker[] trackers;
        lock (s_registryGate)
        {
            s_registry.RemoveAll(static reference => !reference.TryGetTarget(out _));
            trackers = new StorageTracker[s_registry.Count];
            int count = 0;
            foreach (WeakReference<StorageTracker> reference in s_registry)
            {
                if (reference.TryGetTarget(out StorageTracker? tracker))
                {
                    trackers[count++] = tracker;
                }
            }

            Array.Resize(ref trackers, count);
        }

        long now = Environment.TickCount64;
        foreach (StorageTracker tracker in trackers)
        {
            lock (tracker._gate)
            {
                if (tracker._trackedSinceRelease)
                {
                    tracker._trackedSinceRelease = false;
                    tracker._idleSince = now;
                }
                else if (now - tracker._idleSince >= BufferPool.IdleMilliseconds)
                {
                    tracker.Scan(recycle: false);
                }
            }
        }
    }

    private void MakeRoom()
    {
        // Scan when the list has doubled since the last scan and a collection may have freed some; else grow.
        if (_count < 2 * Math.Max(_countAfterScan, InitialCapacity / 2)
            || _collectionsAtScan == GC.CollectionCount(0)
            || !Scan(recycle: true)
            || _count > _leases.Length * 3 / 4)
        {
            Array.Resize(ref _leases, _leases.Length * 2);
        }
    }

    /// <summary>
    /// Forgets the leases that are disarmed or whose owners are dead; the arrays of dead owners go to this thread's
    /// pool when <paramref name="recycle"/> (only the owning thread may), else to the collector. Under <c>_gate</c>.
    /// </summary>
    private bool Scan(bool recycle)
    {
        if (recycle)
        {
            _collectionsAtScan = GC.CollectionCount(0);
        }

        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            TrackedLease lease = _leases[i]!;
            if (!lease.TryEnd(out float[]? unreachable))
            {
                _leases[kept++] = lease;
            }
            else if (recycle && unreachable is not null)
            {
                BufferPool.Return(unreachable);
            }
        }

        bool ended = kept < _count;
        Array.Clear(_leases, kept, _count - kept);
        _count = kept;
        _countAfterScan = kept;
        return ended;
    }

    /// <summary>The thread has ended: free the handles of the leases still tracked (their arrays stay with their owners).</summary>
    ~StorageTracker()
    {
        for (int i = 0; i < _count; i++)
        {
            _leases[i]!.Abandon();
        }
    }

    /// <summary>
    /// Finalized after every collection of its generation and registered again, so once it has aged into gen 2 it
    /// runs after each gen-2 collection (the pattern of the runtime's own array pool).
    /// </summary>
    private sealed class ReleaseAfterFullCollections
    {
        private int _lastFullCollection = GC.CollectionCount(2);

        ~ReleaseAfterFullCollections()
        {
            int full = GC.CollectionCount(2);
            if (full != _lastFullCollection)
            {
                _lastFullCollection = full;
                ReleaseDeadInIdleThreads();
            }

            GC.ReRegisterForFinalize(this);
        }
    }
}
