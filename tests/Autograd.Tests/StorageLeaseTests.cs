using System.Runtime.CompilerServices;
using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>The tests that force full collections run alone, so no other test's collections trim their buckets.</summary>
[CollectionDefinition(nameof(FullCollections), DisableParallelization = true)]
public sealed class FullCollections;

/// <summary>
/// Large storage comes back to the pool through its lease once nothing at all reaches the array (no tensor, view, span
/// or reference), and never earlier; storage below the large-object size is left to the collector unless the engine
/// returns it. Each test uses its own length so tests running in parallel never share a bucket of the shared pool.
/// </summary>
[Collection(nameof(FullCollections))]
public sealed class StorageLeaseTests
{
    /// <summary>
    /// Two full collections with their finalizers: a dead array's lease checks at the first that no finalizer
    /// resurrected a tensor of it, and returns the array at the second.
    /// </summary>
    private static void CollectUnreachable()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>Makes a tensor by an op and drops it; returns a weak handle to its array that follows resurrection.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DroppedStorage(int length) => new((Tensor.Ones(length) * 2f).Data, trackResurrection: true);

    /// <summary>A span over the storage of a tensor that nothing references once this returns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlySpan<float> SpanOfDroppedTensor(int length) => (Tensor.Ones(length) * 2f).AsReadOnlySpan();

    /// <summary>Rents every array of <paramref name="length"/> that either pool holds, filled with -1 as later ops would overwrite them.</summary>
    private static List<float[]> DrainPools(int length)
    {
        var rented = new List<float[]>();
        while (BufferPool.UnreachableCountFor(length) > 0 || BufferPool.CountFor(length) > 0)
        {
            float[] array = BufferPool.RentUninitialized(length);
            array.AsSpan().Fill(-1f);
            rented.Add(array);
        }

        return rented;
    }

    [Fact]
    public void DroppedLargeTensor_ReturnsItsStorageToThePool()
    {
        const int length = BufferPool.LeaseLength + 11;
        WeakReference storage = DroppedStorage(length);
        CollectUnreachable();

        storage.IsAlive.Should().BeTrue("the lease's finalizer resurrected the array into the pool");
        DrainPools(length).Should().Contain(a => ReferenceEquals(a, storage.Target));
    }

    [Fact]
    public void ASpanThatOutlivesItsTensor_KeepsTheStorageOutOfThePool()
    {
        // The span is all that refers to the storage: no tensor and no GC.KeepAlive. Collections and finalizers run,
        // every pooled array of the length is rented and scribbled on, and the span must still read 2s. With a lease
        // keyed to the tensor instead of the array, the array was handed out under the span here.
        const int length = BufferPool.LeaseLength + 13;
        BufferPool.Clear();
        ReadOnlySpan<float> span = SpanOfDroppedTensor(length);
        for (int i = 0; i < 3; i++)
        {
            CollectUnreachable();
            _ = DroppedStorage(length);
            DrainPools(length);
        }

        span.ToArray().Should().OnlyContain(v => v == 2f);
    }

    [Fact]
    public void AnArrayReferenceTheCallerHolds_IsNeverRecycled()
    {
        const int length = BufferPool.LeaseLength + 15;
        float[] held = (Tensor.Ones(length) * 2f).Data;
        CollectUnreachable();

        DrainPools(length).Should().NotContain(a => ReferenceEquals(a, held));
        held.Should().OnlyContain(v => v == 2f);
    }

    [Fact]
    public void ArraysInCirculation_StayBounded()
    {
        // 4,000 steps that each drop two 255 KB tensors, 2 GB in all, with no collection requested by the library:
        // the runtime's own full collections (which large allocations trigger) return the dead arrays, and the pool
        // never holds more than its per-length cap (32 MiB: 131 arrays of this length; without it, 1,052 arrays, the 256 MB of the whole pool).
        const int length = BufferPool.LeaseLength * 3;
        CollectUnreachable();
        for (int i = 0; i < 4000; i++)
        {
            _ = DroppedStorage(length);
        }

        CollectUnreachable();
        BufferPool.UnreachableCountFor(length).Should().BeInRange(1, 131);
    }

    [Fact]
    public void LengthsNobodyRents_AreDroppedAfterFullCollections()
    {
        using var idleNow = new IdleImmediately();
        const int length = BufferPool.LeaseLength + 17;
        _ = DroppedStorage(length);
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
    public void OnlyLargeObjectStorageIsLeased_AndSmallerDeadStorageIsLeftToTheCollector()
    {
        (Tensor.Ones(BufferPool.LeaseLength - 1) * 2f).Lease.Should().BeNull();
        (Tensor.Ones(BufferPool.LeaseLength) * 2f).Lease.Should().BeOfType<StorageLease>();
        (Tensor.Ones([2, BufferPool.LeaseLength]) * 2f).T.Lease.Should().BeNull("a view leaves the lease to its owner");

        const int length = BufferPool.LeaseLength - 3;
        BufferPool.Clear();
        WeakReference storage = DroppedStorage(length);
        CollectUnreachable();
        storage.IsAlive.Should().BeFalse("nothing pools a dead tensor's array below the large-object size");
        DrainPools(length).Should().BeEmpty();
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

    [Theory]
    [InlineData(7, (BufferPool.LeaseLength / 7) + 13)]   // leased
    [InlineData(7, 401)]                                  // engine-pooled only
    public void StorageReachableThroughViewsOrGradients_IsNeverRecycled(int rows, int columns)
    {
        BufferPool.Clear();
        var (transposed, detached, reshaped, leaf, owners) = ViewsOfDroppedOwners(rows, columns);
        CollectUnreachable();

        owners.Should().OnlyContain(w => w.IsAlive, "a view keeps the tensor that owns its storage");
        DrainPools(rows * columns);

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
    [InlineData(BufferPool.LeaseLength + 53, 64, (BufferPool.LeaseLength / 64) + 5)]   // leased
    [InlineData(BufferPool.MinimumPooledLength + 53, 16, 301)]                         // engine-pooled only
    public async Task TemporariesUnderConcurrentCollections_GiveExactResults(int length, int rows, int columns)
    {
        // Each op's operands here are temporaries: only the kernel's spans refer to their storage while it runs. A
        // third thread collects and finalizes all the time, so a temporary whose array came back too early would be
        // handed to the other thread mid-kernel and show up as a wrong value.
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
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
        // The tensor and its lease die in the same collection as a finalizable object that stores the tensor again.
        // Both finalizers run; the lease's first run must not hand the array out, since it cannot know whether the
        // other one resurrected a tensor of it, and at the next collection the array is reachable again.
        const int length = BufferPool.LeaseLength + 11;
        Resurrector.Resurrected = null;
        DropIntoResurrector(length);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            DrainPools(length);
        }

        Resurrector.Resurrected.Should().NotBeNull();
        Resurrector.Resurrected!.ToArray().Should().OnlyContain(v => v == 5f);
        Resurrector.Resurrected = null;
    }

    [Fact]
    public void ThePoolOfAnIdleThread_IsLetGoAfterAFullCollection()
    {
        using var idleNow = new IdleImmediately(threads: true);
        // A thread that ran a backward pass (its pool holds the gradients the engine gave back) and then stopped
        // using the library never trims its own pool; a full collection lets the pool go from outside.
        const int length = BufferPool.MinimumPooledLength + 19;
        using var done = new ManualResetEventSlim();
        WeakReference? pooled = null;
        var worker = new Thread(() =>
        {
            BufferPool.Return(new float[length]);
            pooled = PooledArrayOfThisThread(length);
            done.Wait();
        });
        worker.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref pooled) is not null);
        try
        {
            Thread.Sleep(5);
            CollectUnreachable();
            GC.Collect();
            pooled!.IsAlive.Should().BeFalse("the idle thread's pool was let go");
        }
        finally
        {
            done.Set();
            worker.Join();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference PooledArrayOfThisThread(int length)
    {
        float[] array = BufferPool.RentUninitialized(length);
        BufferPool.Return(array);
        return new WeakReference(array);
    }

    [Fact]
    public void RecyclingTurnedOff_LeavesDeadTensorsToTheCollector()
    {
        const int length = BufferPool.LeaseLength + 23;
        Memory.RecycleUnreachableStorage = false;
        try
        {
            Tensor kept = Tensor.Ones(length) * 2f;
            kept.Lease.Should().BeNull();
            WeakReference storage = DroppedStorage(length);
            CollectUnreachable();

            storage.IsAlive.Should().BeFalse();
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
        private readonly long _savedThreads = BufferPool.IdleThreadMilliseconds;

        /// <summary>Lengths idle at once; with <paramref name="threads"/>, whole threads' pools too.</summary>
        public IdleImmediately(bool threads = false)
        {
            BufferPool.IdleMilliseconds = 0;
            if (threads)
            {
                BufferPool.IdleThreadMilliseconds = 0;
            }
        }

        public void Dispose()
        {
            BufferPool.IdleMilliseconds = _saved;
            BufferPool.IdleThreadMilliseconds = _savedThreads;
        }
    }

    [Fact]
    public void BackToBackFullCollections_KeepWhatWasJustInUse()
    {
        // GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect() twice over, as a benchmark harness does between
        // iterations: nothing has been idle for long, so this thread's pool keeps its arrays.
        const int length = BufferPool.MinimumPooledLength + 41;
        BufferPool.Clear();
        for (int i = 0; i < 3; i++)
        {
            BufferPool.Return(new float[length]);
        }

        for (int i = 0; i < 2; i++)
        {
            CollectUnreachable();
            GC.Collect();
        }

        BufferPool.Return(new float[length + 1]);   // a return is when this thread trims
        DrainPools(length).Should().HaveCount(3);
    }

    [Fact]
    public void TheLibrary_NeitherRequestsCollections_NorKeepsTensorsAliveByHand()
    {
        // The invariants of docs/memory.md, checked on the sources: reuse rests on the collector's reachability alone.
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Autograd"));
        Directory.Exists(root).Should().BeTrue(root);
        string[] offending = [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal)
                && (x.line.Contains("GC.Collect(", StringComparison.Ordinal) || x.line.Contains("GC.KeepAlive(", StringComparison.Ordinal)))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")];
        offending.Should().BeEmpty();
    }
}
