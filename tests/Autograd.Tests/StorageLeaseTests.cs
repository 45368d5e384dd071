using System.Runtime.CompilerServices;
using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>The tests that force full collections run alone, so no other test's collections trim their buckets.</summary>
[CollectionDefinition(nameof(FullCollections), DisableParallelization = true)]
public sealed class FullCollections;

/// <summary>
/// Large storage comes back to the pool through its owner's lease once the owner is unreachable, and never while any
/// tensor of that storage (the owner, a view, a gradient) can still be reached. Each test uses its own length so
/// tests running in parallel never share a bucket of the shared pool.
/// </summary>
[Collection(nameof(FullCollections))]
public sealed class StorageLeaseTests
{
    /// <summary>One full collection: the leases of dropped tensors run, and the shared pool keeps what they return.</summary>
    private static void CollectUnreachable()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Makes a tensor by an op, drops it, and returns its array (which does not keep the tensor alive).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float[] DroppedOutput(int length) => (Tensor.Ones(length) * 2f).Data;

    [Fact]
    public void DroppedTensor_ReturnsItsStorageToThePool()
    {
        const int length = BufferPool.LeaseLength + 11;
        float[] storage = DroppedOutput(length);
        CollectUnreachable();

        var pooled = new List<float[]>();
        while (BufferPool.UnreachableCountFor(length) > 0)
        {
            pooled.Add(BufferPool.RentUninitialized(length));
        }

        pooled.Should().Contain(a => ReferenceEquals(a, storage));
    }

    [Fact]
    public void ArraysInCirculation_StayBounded()
    {
        // 8,000 steps that each drop two 255 KB tensors, 4 GB in all. The pool asks for a collection after each 8 MB
        // (32 arrays) of leased storage; rents that come before the finalizer has returned the dead arrays allocate
        // fresh ones, so the set settles at the budget plus what is rented during the finalizer's lag: 50–280 arrays
        // measured, alone and in the full suite. Collecting only when the pool ran dry let it grow at every
        // collection: 682 arrays after 4,000 steps, on the way to the pool's 256 MB cap (1,028 of this length).
        const int length = BufferPool.LeaseLength * 3;
        CollectUnreachable();
        for (int i = 0; i < 8000; i++)
        {
            DroppedOutput(length);
        }

        CollectUnreachable();
        BufferPool.UnreachableCountFor(length).Should().BeInRange(1, 500);
    }

    [Fact]
    public void IntermediatesThatLiveThroughAStep_AreStillRecycled()
    {
        // Each step keeps ten 4 MB tensors alive to its end (40 MB, like the intermediates of a forward and backward
        // pass) and then drops them all. Collections requested every 8 MB would catch each tensor alive several times,
        // age it out of the generations they collect, and leave every rent to allocate fresh (400 MB over 10 steps).
        const int length = (1 << 20) + 3;
        var source = Tensor.Ones(length);
        static long Steps(Tensor source, int count)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < count; step++)
            {
                var alive = new List<Tensor>();
                for (int i = 0; i < 10; i++)
                {
                    alive.Add(source * (i + 1f));
                }

                alive[9][length - 1].Should().Be(10f);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Steps(source, 10);
        long allocated = Steps(source, 10);
        allocated.Should().BeLessThan(100L << 20, "the arrays of earlier steps come back through their leases");
    }

    [Fact]
    public void LengthsNobodyRents_AreDroppedAfterFullCollections()
    {
        using var idleNow = new IdleImmediately();
        const int length = BufferPool.LeaseLength + 17;
        DroppedOutput(length);
        CollectUnreachable();
        BufferPool.UnreachableCountFor(length).Should().BeGreaterThan(0);

        // Nothing rents this length: a later full collection finds it idle and the pool lets its arrays go.
        for (int i = 0; i < 4; i++)
        {
            CollectUnreachable();
        }

        BufferPool.UnreachableCountFor(length).Should().Be(0);
    }

    [Fact]
    public void FullSharedPool_DropsTheLengthRentedLeastRecently()
    {
        // Room for 400 floats: two arrays of 100 and one of 200 fill it. Length 100 is then rented, so when an array
        // of 300 arrives the pool drops length 200, the one rented least recently.
        var pool = new BufferPool.SharedBuckets(capacityBytes: 400 * sizeof(float));
        pool.Add(new float[100]);
        pool.Add(new float[100]);
        pool.Add(new float[200]);
        pool.TryTake(100).Should().NotBeNull();

        pool.Add(new float[300]);

        pool.CountFor(200).Should().Be(0);
        pool.CountFor(300).Should().Be(1);
        pool.CountFor(100).Should().Be(1);

        // Nothing can make room for an array larger than the whole pool: it is not kept, and evicts nothing.
        pool.Add(new float[500]);
        pool.CountFor(500).Should().Be(0);
        pool.CountFor(300).Should().Be(1);
    }

    [Fact]
    public void LeasesFollowTheStorageSize()
    {
        // Below MinimumPooledLength no lease; up to the large-object size a tracked lease, which returns the array to
        // the creating thread's pool rather than the shared one; from there a finalizer lease.
        (Tensor.Ones(BufferPool.MinimumPooledLength - 1) * 2f).Lease.Should().BeNull();
        (Tensor.Ones(BufferPool.MinimumPooledLength) * 2f).Lease.Should().BeOfType<TrackedLease>();
        (Tensor.Ones(BufferPool.LeaseLength - 1) * 2f).Lease.Should().BeOfType<TrackedLease>();
        (Tensor.Ones(BufferPool.LeaseLength) * 2f).Lease.Should().BeOfType<FinalizerLease>();
        (Tensor.Ones([2, BufferPool.LeaseLength]) * 2f).T.Lease.Should().BeNull("a view leaves the lease to its owner");

        const int length = BufferPool.LeaseLength - 1;
        DroppedOutput(length);
        CollectUnreachable();
        BufferPool.UnreachableCountFor(length).Should().Be(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Transposed, Tensor Detached, Tensor Reshaped, Tensor Leaf, WeakReference[] Owners) ViewsOfDroppedOwners(int rows, int columns)
    {
        Tensor a = Tensor.Full([rows, columns], 1f) + 0f;
        Tensor b = Tensor.Full([rows, columns], 2f) + 0f;
        Tensor c = Tensor.Full([rows, columns], 3f) + 0f;
        var leaf = Tensor.Zeros([rows, columns], requiresGrad: true);
        (leaf * 4f).Sum().Backward();
        return (a.T, b.Detach(), c.Reshape(-1), leaf, [new WeakReference(a), new WeakReference(b), new WeakReference(c)]);
    }

    /// <summary>
    /// Rents every array of <paramref name="length"/> that either pool holds or that dead owners' leases give back, and
    /// returns them (filled with -1, as later ops would overwrite them).
    /// </summary>
    private static List<float[]> DrainPools(int length)
    {
        var rented = new List<float[]>();
        do
        {
            while (BufferPool.UnreachableCountFor(length) > 0 || BufferPool.CountFor(length) > 0)
            {
                float[] array = BufferPool.RentUninitialized(length);
                array.AsSpan().Fill(-1f);
                rented.Add(array);
            }
        }
        while (StorageTracker.ReclaimAfterCollection());

        return rented;
    }

    [Theory]
    [InlineData(7, (BufferPool.LeaseLength / 7) + 13)]   // finalizer leases
    [InlineData(7, 401)]                                  // tracked leases
    public void StorageReachableThroughViewsOrGradients_IsNeverRecycled(int rows, int columns)
    {
        BufferPool.Clear();
        var (transposed, detached, reshaped, leaf, owners) = ViewsOfDroppedOwners(rows, columns);
        CollectUnreachable();

        owners.Should().OnlyContain(w => w.IsAlive, "a view keeps the tensor that owns its storage");
        // The temporaries (the Full inputs, leaf·4) were dropped, so the pools have arrays of this length to scribble on.
        DrainPools(rows * columns).Should().NotBeEmpty();

        transposed.ToArray().Should().OnlyContain(v => v == 1f);
        detached.ToArray().Should().OnlyContain(v => v == 2f);
        reshaped.ToArray().Should().OnlyContain(v => v == 3f);
        leaf.Grad!.ToArray().Should().OnlyContain(v => v == 4f);   // d/dleaf Σ 4·leaf = 4
    }

    [Theory]
    [InlineData(BufferPool.LeaseLength + 29)]
    [InlineData(BufferPool.MinimumPooledLength + 29)]
    public void GradientTheEngineRecycles_IsNotReturnedAgainByItsLease(int length)
    {
        // ((x·2)·3) with head gradient 1: the engine recycles the gradient 3 it passed to the inner node at once, so
        // that tensor's lease must not hand the same array to the pool a second time when it is collected.
        BufferPool.Clear();
        RunChain(length);
        CollectUnreachable();

        List<float[]> arrays = DrainPools(length);
        arrays.Should().NotBeEmpty();
        arrays.Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(arrays.Count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunChain(int length)
    {
        var x = Tensor.Ones([length], requiresGrad: true);
        ((x * 2f) * 3f).Backward(Tensor.Ones(length) + 0f);
        x.Grad!.ToArray().Should().OnlyContain(v => v == 6f);
    }

    [Theory]
    [InlineData(BufferPool.LeaseLength + 53, 64, (BufferPool.LeaseLength / 64) + 5)]   // finalizer leases
    [InlineData(BufferPool.MinimumPooledLength + 53, 16, 301)]                         // tracked leases
    public async Task TemporariesUnderConcurrentCollections_GiveExactResults(int length, int rows, int columns)
    {
        // Each op's operands here are temporaries: only the kernel's spans refer to their storage while it runs. A
        // third thread collects and finalizes all the time, so a temporary whose lease fired too early would have its
        // array handed to the other thread (or, tracked, to the next op on this one) mid-kernel and show up as a wrong
        // value.
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
            }
        }, TestContext.Current.CancellationToken);

        static void Work(int seed, int length, int rows, int columns)
        {
            for (int i = 0; i < 40; i++)
            {
                float v = (seed * 100) + i;

                // ((v·3) + 1)·x − x with x = 1: 3v + 1 − 1 = 3v per element, all exact in float32.
                Tensor sum = ((Tensor.Full([length], v) * 3f) + 1f) * Tensor.Ones(length) - Tensor.Ones(length);
                float[] values = sum.ToArray();
                values.Should().OnlyContain(e => e == 3f * v);

                // [rows, columns] · [columns, rows] through a transposed temporary (copied for the GEMM): every
                // element is Σ_k v·1 = v·columns.
                Tensor product = Tensor.MatMul(Tensor.Full([rows, columns], v) + 0f, (Tensor.Ones([rows, columns]) + 0f).T);
                product.ToArray().Should().OnlyContain(e => e == v * columns);
                (Tensor.Full([length], v) + 0f).Sum().Item().Should().Be(v * length);
            }
        }

        try
        {
            Parallel.Invoke(() => Work(1, length, rows, columns), () => Work(2, length, rows, columns));
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
    }

    [Fact]
    public void DroppedTensorBelowTheLargeObjectSize_ComesBackToThisThreadsPool()
    {
        const int length = BufferPool.MinimumPooledLength + 7;
        BufferPool.Clear();
        float[] storage = DroppedOutput(length);
        GC.Collect();

        DrainPools(length).Should().Contain(a => ReferenceEquals(a, storage));
    }

    private sealed class Resurrector(Tensor tensor)
    {
        internal static Tensor? Resurrected { get; set; }

        ~Resurrector() => Resurrected = tensor;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropIntoResurrector(int length) => _ = new Resurrector(Tensor.Full([length], 5f) + 0f);

    [Fact]
    public void TensorThatAFinalizerResurrects_IsNotRecycled()
    {
        // The tracked lease's weak handle tracks resurrection: the first collection finds the tensor reachable only
        // from a finalizable object, and must not take it for dead, since the finalizer stores it again. A short weak
        // handle would let its array be rented and scribbled on here.
        const int length = BufferPool.MinimumPooledLength + 11;
        BufferPool.Clear();
        Resurrector.Resurrected = null;
        DropIntoResurrector(length);
        GC.Collect();
        DrainPools(length);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        DrainPools(length);

        Resurrector.Resurrected.Should().NotBeNull();
        Resurrector.Resurrected!.ToArray().Should().OnlyContain(v => v == 5f);
        Resurrector.Resurrected = null;
    }

    [Fact]
    public void TrackedLeases_AreForgottenOnceTheirOwnersDie()
    {
        // 10,000 dropped pairs of 8 KB tensors: the tracker frees each handle at the first scan after its owner's
        // collection, so what it holds stays near one collection's worth instead of growing to 20,000.
        const int length = BufferPool.MinimumPooledLength + 13;
        BufferPool.Clear();
        for (int i = 0; i < 10_000; i++)
        {
            DroppedOutput(length);
        }

        StorageTracker.TrackedCount.Should().BeLessThan(5_000);
        GC.Collect();
        _ = BufferPool.RentUninitialized(length + 1);   // a miss after a collection scans
        StorageTracker.TrackedCount.Should().BeLessThan(100);
    }

    [Fact]
    public void TensorsOfAThreadThatEnded_KeepTheirValues()
    {
        // The tracker of an ended thread is finalized and frees its handles; tensors it tracked stay intact, and their
        // storage goes to no pool (nothing is left to return it).
        const int length = BufferPool.MinimumPooledLength + 17;
        Tensor? made = null;
        var worker = new Thread(() => made = Tensor.Full([length], 7f) * 2f);
        worker.Start();
        worker.Join();
        for (int i = 0; i < 3; i++)
        {
            CollectUnreachable();
        }

        DrainPools(length);
        made!.ToArray().Should().OnlyContain(v => v == 14f);
        (made * 0.5f).ToArray().Should().OnlyContain(v => v == 7f);
    }

    [Fact]
    public void DeadTensorsOfAnIdleThread_AreLetGoAfterAFullCollection()
    {
        using var idleNow = new IdleImmediately();
        // A thread that made tensors and then stopped never scans again; without the release after full collections
        // its tracker would keep the arrays of its dead tensors for as long as the thread lives. The release skips a
        // thread that made tensors since the previous full collection, so it comes at the second one here.
        const int length = BufferPool.MinimumPooledLength + 19;
        using var done = new ManualResetEventSlim();
        WeakReference? storage = null;
        var worker = new Thread(() =>
        {
            storage = DroppedStorage(length);
            done.Wait();
        });
        worker.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref storage) is not null);
        try
        {
            for (int i = 0; i < 3; i++)
            {
                CollectUnreachable();
            }

            storage!.IsAlive.Should().BeFalse("the idle thread's tracker let the dead tensor's array go");
        }
        finally
        {
            done.Set();
            worker.Join();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DroppedStorage(int length) => new(DroppedOutput(length));

    [Theory]
    [InlineData(BufferPool.MinimumPooledLength + 23)]   // would be tracked
    [InlineData(BufferPool.LeaseLength + 23)]           // would have a finalizer lease
    public void RecyclingTurnedOff_LeavesDeadTensorsToTheCollector(int length)
    {
        BufferPool.Clear();
        Memory.RecycleUnreachableStorage = false;
        try
        {
            Tensor kept = Tensor.Ones(length) * 2f;
            kept.Lease.Should().BeNull();
            float[] storage = DroppedOutput(length);
            CollectUnreachable();

            DrainPools(length).Should().NotContain(a => ReferenceEquals(a, storage));
            kept.ToArray().Should().OnlyContain(v => v == 2f);
        }
        finally
        {
            Memory.RecycleUnreachableStorage = true;
        }

        // Back on, new tensors are leased again.
        (Tensor.Ones(length) * 2f).Lease.Should().NotBeNull();
    }

    [Fact]
    public void ThisThreadsIdleLengths_AreDroppedAfterFullCollections()
    {
        using var idleNow = new IdleImmediately();
        // Two lengths in this thread's pool; only one is rented between full collections. The idle one is dropped at
        // the second full collection after it arrived (a new length survives its first), found by the next return.
        const int idle = BufferPool.MinimumPooledLength + 31, busy = BufferPool.MinimumPooledLength + 37;
        BufferPool.Clear();
        for (int i = 0; i < 3; i++)
        {
            BufferPool.Return(new float[idle]);
            BufferPool.Return(new float[busy]);
        }

        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            BufferPool.Return(BufferPool.RentUninitialized(busy));
        }

        BufferPool.CountFor(idle).Should().Be(0);
        BufferPool.CountFor(busy).Should().Be(3);
    }

    /// <summary>Counts anything unused at one full collection as idle at the next, for the duration of a test.</summary>
    private sealed class IdleImmediately : IDisposable
    {
        private readonly long _saved = BufferPool.IdleMilliseconds;

        public IdleImmediately() => BufferPool.IdleMilliseconds = 0;

        public void Dispose() => BufferPool.IdleMilliseconds = _saved;
    }

    [Fact]
    public void BackToBackFullCollections_KeepWhatWasJustInUse()
    {
        // GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect() twice over, as a benchmark harness does between
        // iterations: nothing has been idle for long, so this thread's pool and its tracker keep their arrays (the
        // three returned, two of them rented again by the dropped ops and reclaimed, the third reused here).
        const int length = BufferPool.MinimumPooledLength + 41;
        BufferPool.Clear();
        for (int i = 0; i < 3; i++)
        {
            BufferPool.Return(new float[length]);
        }

        BufferPool.Return(BufferPool.RentUninitialized(length));
        float[] storage = DroppedOutput(length);
        for (int i = 0; i < 2; i++)
        {
            CollectUnreachable();
            GC.Collect();
        }

        BufferPool.Return(new float[length + 1]);   // a return is when this thread trims
        DrainPools(length).Should().Contain(a => ReferenceEquals(a, storage)).And.HaveCount(3);
    }
}
