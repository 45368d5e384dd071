using System.Diagnostics;
using System.Globalization;

namespace Autograd.Benchmarks;

/// <summary>
/// The C# side of the PyTorch comparison (<c>benchmarks/peers/compare.sh</c>), with the same protocol as
/// <c>benchmarks/peers/torch_workloads.py</c>: set the thread count, build the workload, warm up, then time
/// <c>reps</c> samples with a <see cref="Stopwatch"/>. Each sample runs the step <c>inner</c> times, with
/// <c>inner</c> chosen from the warm-up so that a sample lasts at least <c>--min-sample-ms</c> (5 ms by default);
/// each printed line is one sample as JSON, giving the time per step.
/// </summary>
public static class PeerRunner
{
    /// <summary>Usage line of the peer mode.</summary>
    public const string Usage = "--peer <workload> <threads> <reps> [--min-sample-ms 5] [--warmup-ms 500] [--budget-s 0]";

    /// <summary>
    /// <c>--serve</c>: reads one request per line from standard input, each the arguments of <c>--peer</c>
    /// (<c>workload threads reps [options]</c>), answers it as <see cref="Run"/> does, then prints
    /// <c>{"kind":"done"}</c>. Lets compare.sh alternate C# and PyTorch runs without paying process start-up
    /// (about 3 s for <c>import torch</c> on the shared machine) for every sample.
    /// </summary>
    public static int Serve()
    {
        while (Console.ReadLine() is { } line)
        {
            string[] request = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (request.Length == 0)
            {
                continue;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            int code;
            try
            {
                code = Run(request);
            }
            catch (ArgumentException e)
            {
                Console.WriteLine(Json($$"""{"kind":"error","message":"{{e.Message.Replace("\"", "'", StringComparison.Ordinal)}}"}"""));
                code = 2;
            }

            Console.WriteLine(Json($$"""{"kind":"done","code":{{code}}}"""));
        }

        return 0;
    }

    /// <summary>Runs <c>--peer</c> with the arguments after it; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        string workload = args[0];
        int threads = int.Parse(args[1], CultureInfo.InvariantCulture);
        int reps = int.Parse(args[2], CultureInfo.InvariantCulture);
        double minSample = 0.005, warmupTarget = 0.5, budget = 0;
        for (int i = 3; i + 1 < args.Length; i += 2)
        {
            double value = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--min-sample-ms": minSample = value / 1000; break;
                case "--warmup-ms": warmupTarget = value / 1000; break;
                case "--budget-s": budget = value; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: {Usage}");
                    return 2;
            }
        }

        bool applied = Threads.TrySet(threads);
        Func<Tensor> step = Workloads.Create(workload);

        // Warm-up: at least 5 steps and warmupTarget seconds (tiered JIT promotes hot methods after 30 calls and a
        // quiet 100 ms), except that a step slower than 1 s is warmed up once only.
        var clock = Stopwatch.StartNew();
        step();
        double first = clock.Elapsed.TotalSeconds;
        int warmupSteps = 1;
        double lastBatch = first;
        if (first < 1.0)
        {
            while (warmupSteps < 5 || clock.Elapsed.TotalSeconds < warmupTarget)
            {
                long start = Stopwatch.GetTimestamp();
                int batch = Math.Max(1, warmupSteps / 4);
                for (int i = 0; i < batch; i++)
                {
                    step();
                }

                lastBatch = Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
                warmupSteps += batch;
            }
        }

        double warmupSeconds = clock.Elapsed.TotalSeconds;
        int inner = (int)Math.Clamp(Math.Ceiling(minSample / Math.Max(lastBatch, 1e-9)), 1, int.MaxValue);
        Console.WriteLine(Json(
            $$"""{"kind":"meta","impl":"csharp","workload":"{{workload}}","threads":{{threads}},"threads_applied":{{(applied ? "true" : "false")}},"warmup_steps":{{warmupSteps}},"warmup_s":{{warmupSeconds:R}},"first_step_s":{{first:R}},"inner":{{inner}},"runtime":"{{Environment.Version}}"}"""));

        var measured = Stopwatch.StartNew();
        for (int rep = 0; rep < reps; rep++)
        {
            if (rep > 0 && budget > 0 && measured.Elapsed.TotalSeconds > budget)
            {
                break;
            }

            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++)
            {
                step();
            }

            double perStep = Stopwatch.GetElapsedTime(start).TotalSeconds / inner;
            Console.WriteLine(Json(
                $$"""{"kind":"sample","impl":"csharp","workload":"{{workload}}","threads":{{threads}},"rep":{{rep}},"inner":{{inner}},"seconds_per_step":{{perStep:R}}}"""));
        }

        return 0;
    }

    private static string Json(FormattableString line) => line.ToString(CultureInfo.InvariantCulture);
}
