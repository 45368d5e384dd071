namespace Autograd.Kernels;

/// <summary>
/// This thread's <see cref="TrackedLease"/>s: after each collection, the arrays of owners found dead go back to the
/// thread's pool. A scan visits every live lease, so it runs only once a collection has happened since the last one,
/// and only when the pool misses or the list has doubled.
/// </summary>
internal sealed class StorageTracker
{
    private const int InitialCapacity = 64;

    [ThreadStatic]
    private static StorageTracker? t_current;

    private TrackedLease?[] _leases = new TrackedLease?[InitialCapacity];
    private int _count;
    private int _countAfterScan;
    private int _collectionsAtScan = GC.CollectionCount(0);

    /// <summary>Starts tracking <paramref name="array"/>, owned by <paramref name="owner"/>.</summary>
    internal static TrackedLease Track(object owner, float[] array)
    {
        StorageTracker tracker = t_current ??= new StorageTracker();
        var lease = new TrackedLease(owner, array);
        if (tracker._count == tracker._leases.Length)
        {
            tracker.MakeRoom();
        }

        tracker._leases[tracker._count++] = lease;
        return lease;
    }

    /// <summary>
    /// Returns to this thread's pool the arrays whose owners a collection has found dead since the last scan; false
    /// when no collection has happened since (nothing can have come back).
    /// </summary>
    internal static bool ReclaimAfterCollection() =>
        t_current is { } tracker && tracker._collectionsAtScan != GC.CollectionCount(0) && tracker.Scan();

    /// <summary>Number of leases this thread still tracks (for tests).</summary>
    internal static int TrackedCount => t_current?._count ?? 0;

    private void MakeRoom()
    {
        // Scan when the list has doubled since the last scan and a collection may have freed some; else grow.
        if (_count < 2 * Math.Max(_countAfterScan, InitialCapacity / 2)
            || _collectionsAtScan == GC.CollectionCount(0)
            || !Scan()
            || _count > _leases.Length * 3 / 4)
        {
            Array.Resize(ref _leases, _leases.Length * 2);
        }
    }

    private bool Scan()
    {
        _collectionsAtScan = GC.CollectionCount(0);
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            TrackedLease lease = _leases[i]!;
            if (!lease.TryEnd(out float[]? unreachable))
            {
                _leases[kept++] = lease;
            }
            else if (unreachable is not null)
            {
                BufferPool.Return(unreachable);
            }
        }

        bool reclaimed = kept < _count;
        Array.Clear(_leases, kept, _count - kept);
        _count = kept;
        _countAfterScan = kept;
        return reclaimed;
    }

    /// <summary>The thread has ended: free the handles of the leases still tracked (their arrays stay with their owners).</summary>
    ~StorageTracker()
    {
        for (int i = 0; i < _count; i++)
        {
            _leases[i]!.Abandon();
        }
    }
}
