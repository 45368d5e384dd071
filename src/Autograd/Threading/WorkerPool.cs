using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Autograd.Kernels;

/// <summary>A unit of parallel work split into independently executable, index-addressed parts.</summary>
internal interface IParallelWork
{
    /// <summary>Executes part <paramref name="index"/>; parts must not depend on each other.</summary>
    void Execute(int index);
}

/// <summary>
/// Persistent background worker threads for intra-op parallelism. A call publishes its parts and
/// works on them itself while the workers claim the rest, so no task or thread is created per call
/// and a worker that is slow to wake only means the caller claims more parts. One call owns the pool
/// at a time; a call made while it is busy (another user thread, or a nested call from inside a
/// part) runs all its parts on its own thread, which cannot deadlock and gives the same results
/// because parts never share output.
/// </summary>
internal static class WorkerPool
{
    /// <summary>
    /// How long an idle worker polls for new work before parking. Waking a parked worker took
    /// 0.3–1 ms on the 2-vCPU KVM test guest (a 1 ms part was usually finished by the caller before
    /// the worker arrived) against 0.3–0.5 µs for an empty two-part hand-off to a polling one; the
    /// kernel calls of a training step come microseconds apart, so polling for 2 ms keeps the worker
    /// hot across a step and costs an idle pool at most 2 ms of one core.
    /// </summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 500;

    private static readonly Lock s_growLock = new();
    private static Worker[] s_workers = [];
    private static int s_busy;
    private static IParallelWork? s_work;

    /// <summary>
    /// Claim word of the current call: generation (high 32 bits) | part count (bits 16..31) |
    /// next unclaimed part (low 16 bits). Claiming by compare-exchange on the whole word means a
    /// worker that read a finished call's state can never claim a part of a later call by mistake.
    /// </summary>
    private static long s_claim;
    private static int s_finished;
    private static ExceptionDispatchInfo? s_error;

    /// <summary>
    /// Executes parts <c>0 .. count-1</c> of <paramref name="work"/> using up to
    /// <paramref name="maxThreads"/> threads including the caller, and returns when all are done.
    /// The first exception thrown by any part is rethrown on the caller after every part finished.
    /// </summary>
    public static void Run(IParallelWork work, int count, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ushort.MaxValue);
        int threads = Math.Min(count, maxThreads);
        if (threads <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++)
            {
                work.Execute(i);
            }

            return;
        }

        try
        {
            Worker[] workers = EnsureWorkers(threads - 1);
            long generation = (Volatile.Read(ref s_claim) >> 32) + 1;
            s_work = work;
            s_error = null;
            Volatile.Write(ref s_finished, 0);
            Interlocked.Exchange(ref s_claim, (generation << 32) | ((long)count << 16));
            for (int w = 0; w < threads - 1; w++)
            {
                workers[w].WakeIfParked();
            }

            ClaimAndExecute(work, generation);
            var spin = default(SpinWait);
            while (Volatile.Read(ref s_finished) < count)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            s_work = null;
            ExceptionDispatchInfo? error = s_error;
            s_error = null;
            error?.Throw();
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Claims and executes parts of generation <paramref name="generation"/> until none are left.</summary>
    private static void ClaimAndExecute(IParallelWork work, long generation)
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            int next = (int)(claim & 0xFFFF), count = (int)((claim >> 16) & 0xFFFF);
            if ((claim >> 32) != generation || next >= count)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim)
            {
                continue;
            }

            try
            {
                work.Execute(next);
            }
#pragma warning disable CA1031 // Any failure of a part is captured and rethrown on the calling thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(ex), null);
            }

            Interlocked.Increment(ref s_finished);
        }
    }

    private static Worker[] EnsureWorkers(int helpers)
    {
        Worker[] workers = Volatile.Read(ref s_workers);
        if (workers.Length >= helpers)
        {
            return workers;
        }

        lock (s_growLock)
        {
            workers = s_workers;
            if (workers.Length < helpers)
            {
                var grown = new Worker[helpers];
                Array.Copy(workers, grown, workers.Length);
                for (int w = workers.Length; w < helpers; w++)
                {
                    grown[w] = new Worker(w);
                }

                Volatile.Write(ref s_workers, grown);
                workers = grown;
            }

            return workers;
        }
    }

    [SuppressMessage("Design", "CA1001", Justification = "Workers live for the whole process; their events are never released.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, 0);
        private int _parked;

        public Worker(int index)
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"Autograd worker {index + 1}",
            };
            thread.Start();
        }

        public void WakeIfParked()
        {
            // Full fence (the caller published the claim word with Interlocked.Exchange) then read:
            // pairs with the worker's fence-then-recheck in Loop so a publish is never missed.
            if (Volatile.Read(ref _parked) != 0)
            {
                _wake.Set();
            }
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                long generation = WaitForGeneration(seen);
                seen = generation;
                IParallelWork? work = Volatile.Read(ref s_work);
                if (work is not null)
                {
                    ClaimAndExecute(work, generation);
                }
            }
        }

        /// <summary>Polls for a generation newer than <paramref name="seen"/>, parking after the spin window.</summary>
        private long WaitForGeneration(long seen)
        {
            long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
            while (true)
            {
                for (int i = 0; i < 64; i++)
                {
                    long generation = Volatile.Read(ref s_claim) >> 32;
                    if (generation != seen)
                    {
                        return generation;
                    }

                    // Mostly pause-spin, but yield the vCPU now and then: when the hypervisor time-slices
                    // both vCPUs on one core a pure spin would take the caller's turn.
                    if ((i & 15) == 15)
                    {
                        Thread.Yield();
                    }
                    else
                    {
                        Thread.SpinWait(8);
                    }
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    _wake.Reset();
                    Interlocked.Exchange(ref _parked, 1);
                    long generation = Volatile.Read(ref s_claim) >> 32;
                    if (generation == seen)
                    {
                        _wake.Wait();
                    }

                    Interlocked.Exchange(ref _parked, 0);
                    deadline = Stopwatch.GetTimestamp() + s_spinTicks;
                }
            }
        }
    }
}
