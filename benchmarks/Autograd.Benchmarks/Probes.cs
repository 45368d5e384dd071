using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;

namespace Autograd.Benchmarks;

/// <summary>Small measurements behind <c>benchmarks/RESULTS.md</c>: memory bandwidth and the mlp allocation check.</summary>
public static class Probes
{
    /// <summary>
    /// STREAM-style probe over 64 MB float arrays: copy (c = a) and add (c = a + b), with 1 and 2 threads (each
    /// thread takes one contiguous half). Bytes counted as STREAM does: copy 2 × 64 MB, add 3 × 64 MB (write-allocate
    /// traffic not counted). Prints the best of <paramref name="reps"/> repetitions as JSON lines.
    /// </summary>
    public static int Bandwidth(int reps = 20)
    {
        const int Count = 16 * 1024 * 1024;   // 64 MB of float32
        float[] a = new float[Count], b = new float[Count], c = new float[Count];
        a.AsSpan().Fill(1f);
        b.AsSpan().Fill(2f);
        c.AsSpan().Fill(3f);   // touch every page before timing
        foreach (int threads in new[] { 1, 2 })
        {
            foreach ((string kernel, int arrays) in new[] { ("copy", 2), ("add", 3) })
            {
                double best = double.MaxValue;
                for (int rep = 0; rep < reps; rep++)
                {
                    long start = Stopwatch.GetTimestamp();
                    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
                    {
                        int chunk = Count / threads;
                        int from = part * chunk;
                        int length = part == threads - 1 ? Count - from : chunk;
                        if (kernel == "copy")
                        {
                            a.AsSpan(from, length).CopyTo(c.AsSpan(from, length));
                        }
                        else
                        {
                            TensorPrimitives.Add(a.AsSpan(from, length), b.AsSpan(from, length), c.AsSpan(from, length));
                        }
                    });
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
                }

                double gbPerSecond = arrays * (double)Count * sizeof(float) / best / 1e9;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"kind":"bandwidth","kernel":"{{kernel}}","threads":{{threads}},"array_mb":64,"bytes_per_pass":{{arrays * (long)Count * sizeof(float)}},"best_s":{{best:R}},"gb_per_s":{{gbPerSecond:F2}}}"""));
            }
        }

        return 0;
    }

    /// <summary>
    /// Runs <paramref name="steps"/> mlp steps after a 200-step warm-up and prints the bytes allocated per step
    /// (this thread's counter, and the process-wide precise counter, which also sees worker threads) and the number
    /// of gen-0/1/2 collections during those steps.
    /// </summary>
    public static int AllocMlp(int steps = 1000, int threads = 1, string workload = "mlp")
    {
        bool applied = Threads.TrySet(threads);
        Func<Tensor> step = Workloads.Create(workload);
        for (int i = 0; i < 200; i++)
        {
            step();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long thread0 = GC.GetAllocatedBytesForCurrentThread();
        long total0 = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        TimeSpan pause0 = GC.GetTotalPauseDuration();
        long start = Stopwatch.GetTimestamp();
        float loss = 0;
        for (int i = 0; i < steps; i++)
        {
            loss = step().Item();
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long threadBytes = GC.GetAllocatedBytesForCurrentThread() - thread0;
        long totalBytes = GC.GetTotalAllocatedBytes(precise: true) - total0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"kind":"alloc","workload":"{{workload}}","steps":{{steps}},"threads":{{threads}},"threads_applied":{{(applied ? "true" : "false")}},"bytes_per_step_this_thread":{{threadBytes / steps}},"bytes_per_step_all_threads":{{totalBytes / steps}},"gen0":{{GC.CollectionCount(0) - gen0}},"gen1":{{GC.CollectionCount(1) - gen1}},"gen2":{{GC.CollectionCount(2) - gen2}},"gc_pause_ms_per_step":{{(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds / steps:F3}},"seconds_per_step":{{seconds / steps:R}},"final_loss":{{loss:R}},"server_gc":{{(System.Runtime.GCSettings.IsServerGC ? "true" : "false")}}}"""));
        return 0;
    }

    /// <summary>
    /// Cost of the large-object leases (<c>--tracking-cost on|off</c>, see <c>docs/memory.md</c>). For each length, a
    /// forward-only <c>a * b + a</c> and a recorded <c>(a * b + a).Sum().Backward()</c>; then whole workloads. Prints
    /// the median time per iteration of <paramref name="rounds"/> rounds, and the bytes allocated, collections and GC
    /// pause per iteration of the last round. Run it with <see cref="Memory.RecycleUnreachableStorage"/> on and off in
    /// alternating processes: switching inside one process would charge each mode for the pool the other left behind.
    /// </summary>
    public static int TrackingCost(bool track, string? only = null, int rounds = 7)
    {
        Memory.RecycleUnreachableStorage = track;
        foreach (int length in only is null ? [4096, 16384, 65536, 262144] : Array.Empty<int>())
        {
            Tensor a = Tensor.Randn([length], requiresGrad: true), b = Tensor.Randn([length]);
            Tensor Forward()
            {
                using var noGrad = GradMode.NoGrad();
                return (a * b) + a;
            }

            Tensor Backward()
            {
                Tensor loss = ((a * b) + a).Sum();
                loss.Backward();
                a.Grad = null;
                return loss;
            }

            int iterations = Math.Max(200, 40_000_000 / length);
            MeasureRounds($"forward_{length}", track, Forward, iterations, rounds);
            MeasureRounds($"backward_{length}", track, Backward, iterations / 4, rounds);
        }

        foreach ((string workload, int iterations) in new[] { ("mlp", 500), ("mlp_sgd", 500), ("mlp_sgd_none", 500), ("matmul_fb", 200), ("elementwise", 10) })
        {
            if (only is not null && only != workload)
            {
                continue;
            }

            MeasureRounds(workload, track, Workloads.Create(workload), iterations, rounds);
        }

        return 0;
    }

    private static void MeasureRounds(string name, bool track, Func<Tensor> step, int iterations, int rounds)
    {
        var times = new List<double>();
        string last = "";
        long warmup = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warmup).TotalMilliseconds < 500)   // past tiered compilation's delay
        {
            step();
        }

        for (int round = 0; round < rounds; round++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            TimeSpan paused = GC.GetTotalPauseDuration();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                step();
            }

            times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / iterations);
            last = string.Create(CultureInfo.InvariantCulture,
                $"\"bytes\":{(GC.GetAllocatedBytesForCurrentThread() - allocated) / iterations},\"gen0_per_1000\":{1000.0 * (GC.CollectionCount(0) - gen0) / iterations:F1},\"gen1_per_1000\":{1000.0 * (GC.CollectionCount(1) - gen1) / iterations:F1},\"gen2_per_1000\":{1000.0 * (GC.CollectionCount(2) - gen2) / iterations:F1},\"gc_pause_ns\":{(GC.GetTotalPauseDuration() - paused).TotalNanoseconds / iterations:F0}");
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"kind":"tracking","case":"{{name}}","tracked":{{(track ? "true" : "false")}},"median_ns":{{times[times.Count / 2]:F0}},{{last}}}"""));
    }
}
